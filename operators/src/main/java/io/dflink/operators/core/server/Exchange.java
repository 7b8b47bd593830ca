package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerState;
import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * What servers exchange with their neighbours after the client phase, one rule per algorithm:
 * {@link ConsensusSteps} runs the steps (waiting for every neighbour, duplicates, skips, buffers);
 * the rule says how many steps, which messages belong to it, what each neighbour is sent, and what
 * the received messages do.
 */
public interface Exchange {

    /** Steps per round: DFL's T_S, LT-ADMM's single z-exchange. */
    int steps();

    /** Whether the message's kind belongs to the exchange in the message's round. */
    boolean accepts(ConsensusMessage m);

    /** The message for {@code neighbour} at the current step. */
    ConsensusMessage messageTo(ServerState s, String neighbour);

    /** Takes the step with the neighbours' messages, in {@code s.neighbours} order. */
    void apply(ServerState s, List<ConsensusMessage> received);
}
