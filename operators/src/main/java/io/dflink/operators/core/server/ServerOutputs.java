package io.dflink.operators.core.server;

import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;

/** Where a server's state machine sends what it produces; the Flink shell routes each to a sink. */
public interface ServerOutputs {
    void model(ServerModel model);

    void consensus(ConsensusMessage message);

    /** A command to the server's clients (FDA's continue / sync decisions). */
    void control(ControlEvent event);

    void metrics(RoundMetrics metrics);

    void reject(DeadLetter deadLetter);

    /**
     * Wake this server at {@code atMillis} (the caller's processing time): a timeout its current
     * wait needs. The shell registers it and calls {@link Server#onTimer} when it fires.
     */
    void timer(long atMillis);
}
