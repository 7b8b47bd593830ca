package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.graph.Graph;
import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * What servers exchange with their neighbours after the client phase, one rule per algorithm:
 * {@link ConsensusSteps} runs the steps (waiting for every neighbour, duplicates, skips, buffers);
 * the rule says how many steps, which messages belong to it, what each neighbour is sent, and what
 * the received messages do.
 */
public interface Exchange {

    /** The most steps a round can have: DFL's T_S, LT-ADMM's single z-exchange. */
    int steps();

    /** Whether the message's kind belongs to the exchange in the message's round. */
    boolean accepts(ConsensusMessage m);

    /** The message for {@code neighbour} at the current step. */
    ConsensusMessage messageTo(ServerState s, String neighbour);

    /** Takes the step with the neighbours' messages, in {@code s.neighbours} order. */
    void apply(ServerState s, List<ConsensusMessage> received);

    /** Called when the server phase of a round starts, with the round's graph. */
    default void begin(ServerState s, Graph graph) {}

    /**
     * The steps of the current round as far as they are known now; may shrink once a step has
     * decided that the round's consensus does not run (server-tier FDA). At most {@link #steps()}.
     */
    default int steps(ServerState s) {
        return steps();
    }

    /** Whether {@code m}, of the current round and step, is the kind that step takes. */
    default boolean belongsToStep(ServerState s, ConsensusMessage m) {
        return true;
    }

    /** The model's consensus steps in the round just finished (published with the next model). */
    default int modelSteps(ServerState s) {
        return steps();
    }
}
