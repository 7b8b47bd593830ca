package io.dflink.operators.functions;

import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.DeadLetter;
import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;
import io.dflink.security.ClientKeys;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.VectorEncoding;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ServerFunction} in Flink's operator test harness: three servers on one keyed operator,
 * consensus messages fed back from the side output by the test, as the Kafka loop does in the job.
 */
class ServerFunctionTest {

    private static final List<String> SERVERS = List.of("s0", "s1", "s2");
    // path s0 - s1 - s2: Metropolis-Hastings weights
    private static final double[][] A = {
        {2 / 3., 1 / 3., 0}, {1 / 3., 1 / 3., 1 / 3.}, {0, 1 / 3., 2 / 3.}
    };

    @Test
    void shouldCloseRoundsAndRunConsensusThroughTheFeedback() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            assertThat(h.extractOutputValues())
                    .extracting(m -> m.round)
                    .containsOnly(0L)
                    .hasSize(3);
            assertThat(keyCount(h)).isEqualTo(3);
            double[] u = {3, 6, 9};
            for (int i = 0; i < 3; i++) {
                h.processElement(update("s" + i, "a", 0, u[i]), 0);
                h.processElement(update("s" + i, "b", 0, u[i]), 0);
            }
            pump(h);
            // two consensus steps: A^2 u
            double[] expected = multiply(A, multiply(A, u));
            for (ServerModel m : models(h, 1)) {
                assertThat(m.vector[0])
                        .isCloseTo(expected[SERVERS.indexOf(m.serverId)], within(1e-12));
                assertThat(m.clientsAggregated).isEqualTo(2);
            }
            assertThat(h.getSideOutput(OutputTags.METRICS)).hasSize(3);
        }
    }

    @Test
    void shouldDeadLetterDuplicatesAndStaleAndBufferFutureUpdates() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            h.processElement(update("s1", "a", 1, 5), 0); // future: buffered
            for (int i = 0; i < 3; i++) {
                h.processElement(update("s" + i, "a", 0, 1), 0);
                h.processElement(update("s" + i, "a", 0, 1), 0); // duplicate: refused
                h.processElement(update("s" + i, "b", 0, 1), 0);
            }
            pump(h);
            h.processElement(update("s1", "c", 0, 1), 0); // stale
            assertThat(deadLetters(h))
                    .extracting(d -> d.reasonCode)
                    .containsExactly(
                            RejectReason.DUPLICATE.name(),
                            RejectReason.DUPLICATE.name(),
                            RejectReason.DUPLICATE.name(),
                            RejectReason.STALE_ROUND.name());
            assertThat(models(h, 1)).hasSize(3);
            h.processElement(
                    update("s1", "b", 1, 7), 0); // completes s1's round 1 with the buffered one
            assertThat(h.getSideOutput(OutputTags.CONSENSUS))
                    .extracting(r -> r.getValue().round)
                    .containsOnly(1L)
                    .hasSize(2);
        }
    }

    @Test
    void shouldDecodeRawRecordsRouteKeylessOnesByTheirServerAndRefuseBadOnesStatelessly()
            throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            SourceRef keyless = update("s1", "a", 0, 4.0);
            keyless.key = null; // an outside client that sets no key: routed by its body
            h.processElement(keyless, 0);
            SourceRef misrouted = update("s1", "b", 0, 4.0);
            misrouted.key = "s2"; // key and body disagree: refused before any state is touched
            h.processElement(misrouted, 0);
            h.processElement(
                    new SourceRef(
                            "client-updates",
                            0,
                            7,
                            null,
                            "{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    0);
            assertThat(deadLetters(h))
                    .extracting(d -> d.reasonCode + "@" + d.offset)
                    .containsExactly("KEY_MISMATCH@0", "MALFORMED_JSON@7");
            assertThat(keyCount(h)).as("no state for the unreadable record's key").isEqualTo(3);
            h.processElement(update("s1", "b", 0, 6.0), 0);
            // s1's round 0 closed on a (keyless) and b: its consensus step 0 carries their mean
            StreamRecord<ConsensusMessage> first = h.getSideOutput(OutputTags.CONSENSUS).peek();
            assertThat(first.getValue().from).isEqualTo("s1");
            assertThat(first.getValue().vector[0]).isEqualTo(5.0);
        }
    }

    @Test
    void shouldKeepNoStateForServersNoGraphNames() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            for (int i = 0; i < 50; i++) {
                h.processElement(update("ghost" + i, "a", 0, 1), 0);
            }
            assertThat(deadLetters(h))
                    .hasSize(50)
                    .allSatisfy(
                            d ->
                                    assertThat(d.reasonCode)
                                            .isEqualTo(RejectReason.UNKNOWN_SERVER.name()));
            assertThat(keyCount(h)).isEqualTo(3);
        }
    }

    @Test
    void shouldApplyATopologyChangeAtItsEffectiveRound() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            h.processBroadcastElement(TopologyEvent.edge(1, new Edge("s0", "s2"), true), 0);
            runRound(h, 0);
            runRound(h, 1);
            List<String> round1From0 = new ArrayList<>();
            for (ConsensusMessage m : sentConsensus) {
                if (m.round == 0) {
                    assertThat(m.from + m.to).isNotIn("s0s2", "s2s0");
                } else if (m.from.equals("s0")) {
                    round1From0.add(m.to);
                }
            }
            assertThat(round1From0).contains("s1", "s2");
            // on the triangle (MH: 1/3 everywhere) one step reaches exact agreement
            double[] w = models(h, 2).get(0).vector;
            for (ServerModel m : models(h, 2)) {
                assertThat(m.vector[0]).isCloseTo(w[0], within(1e-12));
            }
        }
    }

    @Test
    void shouldGiveTheSameModelsAfterSnapshotAndRestoreMidRound() throws Exception {
        List<ServerModel> uninterrupted;
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            runRound(h, 0);
            runRound(h, 1);
            uninterrupted = models(h, 2);
        }
        OperatorSubtaskState snapshot;
        List<StreamRecord<ConsensusMessage>> inFlight = new ArrayList<>();
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(null)) {
            start(h, path());
            runRound(h, 0);
            for (int i = 0; i < 3; i++) {
                h.processElement(update("s" + i, "a", 1, 1.0 + i), 0);
                h.processElement(update("s" + i, "b", 1, 2.0 * i), 0);
            }
            // the round's consensus step 0 is on the wire when the snapshot is taken
            inFlight.addAll(h.getSideOutput(OutputTags.CONSENSUS));
            snapshot = h.snapshot(1, 1);
        }
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(snapshot)) {
            for (StreamRecord<ConsensusMessage> r : inFlight) {
                h.processElement(record(r.getValue()), 0);
            }
            pump(h);
            List<ServerModel> restored = models(h, 2);
            assertThat(restored).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(restored.get(i).vector).isEqualTo(uninterrupted.get(i).vector);
            }
        }
    }

    @Test
    void shouldCloseARoundOnAQuorumWhenItsTimeoutFires() throws Exception {
        ServerParams params =
                ServerParams.defaults(1)
                        .withConsensusSteps(2)
                        .withClosing(new RoundClosing(RoundClosing.Membership.COUNT, 2, 1000, 1));
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(params, null)) {
            h.setProcessingTime(0);
            start(h, path());
            for (int i = 0; i < 3; i++) {
                h.processElement(update("s" + i, "a", 0, 1.0 + i), 0);
            }
            assertThat(h.getSideOutput(OutputTags.CONSENSUS)).as("waiting for b").isNull();
            h.setProcessingTime(1001);
            pump(h);
            assertThat(models(h, 1))
                    .hasSize(3)
                    .allSatisfy(m -> assertThat(m.clientsAggregated).isEqualTo(1));
        }
    }

    @Test
    void shouldSkipTheLinkToANeighbourWhoseClientsVanishedWhenTheConsensusTimeoutFires()
            throws Exception {
        ServerParams params =
                ServerParams.defaults(1)
                        .withConsensusSteps(2)
                        .withClientsPerServer(1)
                        .withConsensusTimeout(500);
        try (KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                harness(params, null)) {
            h.setProcessingTime(0);
            start(h, path());
            h.processElement(update("s0", "a", 0, 1.0), 0);
            h.processElement(update("s1", "a", 0, 3.0), 0); // s2's clients are gone
            pump(h);
            assertThat(models(h, 1)).as("s1 waits for s2's first iterate").isEmpty();

            h.setProcessingTime(501); // s1's timer: skip-request to s2, whose state acks
            pump(h);

            assertThat(sentConsensus)
                    .extracting(m -> m.kind + ":" + m.from + "->" + m.to)
                    .contains("skip-request:s1->s2", "skip-ack:s2->s1");
            // s0 and s1 mixed over their link alone (weight 1/3 each way); the mean 2 is kept
            List<ServerModel> next = models(h, 1);
            assertThat(next).extracting(m -> m.serverId).containsExactlyInAnyOrder("s0", "s1");
            assertThat(next.get(0).vector[0] + next.get(1).vector[0]).isCloseTo(4.0, within(1e-12));
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    // ---- fixtures ----

    private final List<ConsensusMessage> sentConsensus = new ArrayList<>();

    private KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel>
            harness(OperatorSubtaskState restore) throws Exception {
        return harness(
                ServerParams.defaults(1).withConsensusSteps(2).withClientsPerServer(2), restore);
    }

    private KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel>
            harness(ServerParams params, OperatorSubtaskState restore) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new ServerFunction(params, decoder(params)),
                                List.of(ServerFunction.TOPOLOGY)),
                        decoder(params)::route,
                        Types.STRING,
                        128,
                        1,
                        0);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static TopologyEvent path() {
        return TopologyEvent.graph(0, SERVERS, List.of(new Edge("s0", "s1"), new Edge("s1", "s2")));
    }

    private static void start(
            KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h,
            TopologyEvent graph)
            throws Exception {
        h.processBroadcastElement(graph, 0);
        for (String s : graph.servers) {
            h.processElement(InputDecoder.wake(s), 0);
        }
    }

    private void runRound(
            KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h,
            long round)
            throws Exception {
        for (int i = 0; i < 3; i++) {
            h.processElement(update("s" + i, "a", round, 1.0 + i), 0);
            h.processElement(update("s" + i, "b", round, 2.0 * i), 0);
        }
        pump(h);
    }

    /**
     * Feeds consensus side outputs back in until none are left: the loop the job closes via Kafka.
     */
    private void pump(
            KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h)
            throws Exception {
        StreamRecord<ConsensusMessage> r;
        while ((r = h.getSideOutput(OutputTags.CONSENSUS).poll()) != null) {
            sentConsensus.add(r.getValue());
            h.processElement(record(r.getValue()), 0);
        }
    }

    private static long keyCount(
            KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h) {
        return h.getOperator()
                .getKeyedStateBackend()
                .getKeys(ServerFunction.STATE.getName(), VoidNamespace.INSTANCE)
                .count();
    }

    private static List<ServerModel> models(
            KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h,
            long round) {
        List<ServerModel> out = new ArrayList<>();
        for (ServerModel m : h.extractOutputValues()) {
            if (m.round == round) {
                out.add(m);
            }
        }
        out.sort(java.util.Comparator.comparing(m -> m.serverId));
        return out;
    }

    private static List<DeadLetter> deadLetters(
            KeyedBroadcastOperatorTestHarness<String, SourceRef, TopologyEvent, ServerModel> h) {
        List<DeadLetter> out = new ArrayList<>();
        if (h.getSideOutput(OutputTags.DEAD_LETTERS) != null) {
            h.getSideOutput(OutputTags.DEAD_LETTERS).forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private static InputDecoder decoder(ServerParams params) {
        return new InputDecoder("consensus", params, 1_000_000, ClientKeys.none());
    }

    /** A client update as a device writes it to Kafka (key = server id, JSON arrays). */
    private static SourceRef update(String server, String client, long round, double value) {
        ClientUpdate u = ClientUpdate.model(client, server, round, 1, new double[] {value});
        return new SourceRef(
                "client-updates", 0, 0, server, ClientUpdateCodec.encode(u, VectorEncoding.ARRAY));
    }

    /** A consensus message as the job writes it to Kafka (key = addressed server). */
    private static SourceRef record(ConsensusMessage m) {
        return new SourceRef(
                "consensus", 0, 0, m.to, ConsensusMessageCodec.encode(m, VectorEncoding.F64));
    }

    private static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                y[i] += a[i][j] * x[j];
            }
        }
        return y;
    }
}
