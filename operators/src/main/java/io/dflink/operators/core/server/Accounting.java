package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.Traffic;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.ServerModelCodec;
import io.dflink.serde.VectorEncoding;

/**
 * Communication accounting of one server, by kind (monitoring up, model up, gradient up, model
 * down, control, consensus), into the current round's {@link RoundMetrics}. Bytes are those of the
 * encoded record values, as on the wire: inbound events are measured as received; outbound ones are
 * sized for the job's vector encoding without encoding their vectors (the sinks do that once). What
 * the server sends its clients counts once per client that receives it (the fan-out of a Kafka
 * topic read by every device of the server).
 */
final class Accounting {

    private Accounting() {}

    /** Counts a client's event as it reaches the server. */
    static void received(ServerState s, ServerInput in) {
        if (in.kind != ServerInput.Kind.CLIENT_UPDATE) {
            return;
        }
        ClientUpdate u = in.clientUpdate;
        int bytes = in.source.bytes.length;
        if (u.isModel() || u.isDelta()) {
            s.metrics.modelUp.add(1, bytes);
        } else if (u.isFdaState()) {
            s.metrics.monitoringUp.add(1, bytes);
        } else if (u.isGradient()) {
            s.metrics.gradientUp.add(1, bytes);
        }
    }

    /** {@code out}, counting what passes through it into {@code s}'s current metrics. */
    static ServerOutputs counting(
            ServerState s, ServerOutputs out, VectorEncoding encoding, ClientPhase clients) {
        return new ServerOutputs() {
            @Override
            public void model(ServerModel m) {
                long receivers = clients.audience(s);
                long bytes = ServerModelCodec.encodedSize(m, encoding);
                s.metrics.modelDown.add(receivers, receivers * bytes);
                out.model(m);
            }

            @Override
            public void consensus(ConsensusMessage m) {
                long bytes = ConsensusMessageCodec.encodedSize(m, encoding);
                s.metrics.consensus.add(1, bytes);
                s.metrics.consensusTo.computeIfAbsent(m.to, k -> new Traffic()).add(1, bytes);
                out.consensus(m);
            }

            @Override
            public void control(ControlEvent e) {
                long receivers = clients.audience(s);
                s.metrics.control.add(receivers, receivers * ControlEventCodec.encode(e).length);
                out.control(e);
            }

            @Override
            public void metrics(RoundMetrics m) {
                out.metrics(m);
            }

            @Override
            public void reject(DeadLetter d) {
                out.reject(d);
            }

            @Override
            public void timer(long atMillis) {
                out.timer(atMillis);
            }
        };
    }
}
