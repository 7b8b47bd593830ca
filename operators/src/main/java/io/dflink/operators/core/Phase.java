package io.dflink.operators.core;

/** Where a server is in its round. */
public enum Phase {
    /** Not started: the topology does not name this server yet. */
    WAITING,
    /** Collecting its clients' updates for the current round. */
    CLIENT,
    /** Running the T_S consensus steps with its neighbours. */
    CONSENSUS,
    /** Past the configured last round. */
    DONE,
    /**
     * Named by a topology change of a running federation: waiting for its established neighbours'
     * models of its first round, whose weighted mean becomes its own ({@code JoiningServer}).
     */
    JOINING
}
