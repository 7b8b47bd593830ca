package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.records.ClientUpdate;

/**
 * One algorithm's part of a server's client phase: which client updates it takes, what it does with
 * each, and when its wait is over. {@link ClientPhase} keeps what every algorithm shares (round
 * bounds, membership announcements, buffering of early updates, refusals) and hands each update of
 * the open round to the protocol, which ends the phase through {@link ClientPhase#finish}. It is
 * chosen once per server from its params, like the server tier's {@link Exchange}.
 */
public interface ClientProtocol {

    /** What the protocol runs, for refusals: "LT-ADMM", "DFL with FDA". */
    String name();

    /** Whether the protocol takes this kind of update at all. */
    boolean takes(ClientUpdate u);

    /** Sets up the protocol's part of the state as a round opens. */
    void open(ServerState s);

    /**
     * Called once the round is open and its buffered updates are replayed: a protocol that holds
     * inputs across rounds (the asynchronous buffer) goes on with them here.
     */
    default void resume(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {}

    /** An update of the open round, of a kind the protocol {@link #takes}. */
    void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now);

    /** The round's membership changed: the wait may be over now. */
    void onMembership(ServerState s, TopologyHistory topo, ServerOutputs out, double now);

    /** The wait timed out: goes on with {@code quorum} clients if that many reported. */
    boolean onTimeout(
            ServerState s, int quorum, TopologyHistory topo, ServerOutputs out, double now);
}
