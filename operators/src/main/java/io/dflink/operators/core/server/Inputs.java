package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;

import java.util.List;

/** Shared handling of a server's inputs: dead-lettering and bounded buffering. */
public final class Inputs {

    private Inputs() {}

    public static DeadLetter reject(ServerInput in, RejectReason reason, String why) {
        return DeadLetter.of(reason, why, in.source);
    }

    /** Adds to a buffer, or dead-letters when all of the server's buffers together are full. */
    static void buffer(
            ServerState s, List<ServerInput> buffer, ServerInput in, ServerOutputs out, int limit) {
        if (s.buffered() >= limit) {
            out.reject(
                    reject(
                            in,
                            RejectReason.BUFFER_FULL,
                            "server "
                                    + in.serverId
                                    + " already buffers "
                                    + s.buffered()
                                    + " events"));
        } else {
            buffer.add(in);
        }
    }

    static void rejectAll(
            List<ServerInput> inputs, RejectReason reason, String why, ServerOutputs out) {
        for (ServerInput in : inputs) {
            out.reject(reject(in, reason, why));
        }
        inputs.clear();
    }
}
