package io.dflink.operators.core.async;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.Server;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The asynchronous client phase on the server state machine: the buffered update against an
 * independent reference for each staleness weight (1e-12); K = 1 with a constant weight is FedAsync
 * (x + alpha delta, one version per delta); all-fresh deltas with K = n and eta = 1 are synchronous
 * FedAvg; versions, staleness and refusals; and the same log of deltas gives bit-identical models
 * however the consensus messages interleave with it.
 */
class AsyncStepsTest {

    private final SplittableRandom rnd = new SplittableRandom(11);

    @Test
    void shouldMatchTheReferenceBufferedUpdateForEveryStalenessWeight() {
        for (StalenessWeight w :
                List.of(
                        StalenessWeight.constant(),
                        new StalenessWeight(StalenessWeight.Kind.POLYNOMIAL, 0.5, 0),
                        new StalenessWeight(StalenessWeight.Kind.HINGE, 2, 3))) {
            AsyncParams p = new AsyncParams(4, 1, 0.7, w, 100);
            double[] x = random(5);
            double[][] d = {random(5), random(5), random(5), random(5)};
            double[] weights = {1, 4, 2, 3};
            long[] tau = {0, 2, 5, 9};
            double[] expected = x.clone();
            for (int j = 0; j < 5; j++) {
                double sum = 0;
                for (int i = 0; i < 4; i++) {
                    double s =
                            switch (w.kind()) {
                                case CONSTANT -> 1;
                                case POLYNOMIAL -> 1 / Math.sqrt(1 + tau[i]);
                                case HINGE -> tau[i] <= 3 ? 1 : 1 / (2.0 * (tau[i] - 3) + 1);
                            };
                    sum += weights[i] * s * d[i][j];
                }
                expected[j] += 0.7 * sum / 10;
            }
            assertThat(BufferedUpdate.apply(x, d, weights, tau, p))
                    .containsExactly(expected, within(1e-12));
        }
    }

    @Test
    void shouldBeFedAsyncWithABufferOfOne() {
        double alpha = 0.3;
        Lone lone = new Lone(new AsyncParams(1, 100, alpha, StalenessWeight.constant(), 100));
        double[] x = {0, 0};
        for (int t = 0; t < 6; t++) {
            double[] delta = random(2);
            lone.feed(ClientUpdate.delta("c" + t % 2, "s0", 0, t / 2, 1 + t, delta));
            x = new double[] {x[0] + alpha * delta[0], x[1] + alpha * delta[1]};
            ServerModel m = lone.out.models.get(lone.out.models.size() - 1);
            assertThat(m.version).isEqualTo(t + 1);
            assertThat(m.step).isEqualTo(t + 1);
            assertThat(m.vector).containsExactly(x);
        }
    }

    @Test
    void shouldBeSynchronousFedAvgWithFreshDeltasAndABufferOfAll() {
        Lone lone = new Lone(new AsyncParams(3, 1, 1.0, StalenessWeight.constant(), 0));
        double[][] trained = {{5.0, 2.0}, {5.2, 1.8}, {4.7, 2.4}};
        double[] weights = {10, 20, 30};
        double[] base = lone.out.models.get(0).vector; // version 0, zeros
        for (int i = 0; i < 3; i++) {
            double[] delta = {trained[i][0] - base[0], trained[i][1] - base[1]};
            lone.feed(ClientUpdate.delta("c" + i, "s0", 0, 0, weights[i], delta));
        }
        double[] fedAvg = new double[2];
        for (int i = 0; i < 3; i++) {
            fedAvg[0] += weights[i] * trained[i][0] / 60;
            fedAvg[1] += weights[i] * trained[i][1] / 60;
        }
        ServerModel next = lone.out.models.get(lone.out.models.size() - 1);
        assertThat(next.round).isEqualTo(1); // V = 1: the buffer ended the round
        assertThat(next.version).isEqualTo(1);
        assertThat(next.vector).containsExactly(fedAvg, within(1e-12));
    }

    @Test
    void shouldRefuseTooStaleAndFutureDeltasWhenTheirBufferIsApplied() {
        Lone lone = new Lone(new AsyncParams(1, 100, 1.0, StalenessWeight.constant(), 2));
        for (int t = 0; t < 3; t++) {
            lone.feed(ClientUpdate.delta("c", "s0", 0, t, 1, new double[] {1, 1}));
        }
        // version 3 now: base 0 is 3 behind (> 2), base 7 has not been published
        lone.feed(ClientUpdate.delta("late", "s0", 0, 0, 1, new double[] {1, 1}));
        lone.feed(ClientUpdate.delta("early", "s0", 0, 7, 1, new double[] {1, 1}));
        lone.feed(ClientUpdate.model("old-sdk", "s0", 0, 1, new double[] {1, 1}));
        assertThat(lone.out.rejected)
                .extracting(r -> r.reasonCode)
                .containsExactly(
                        RejectReason.TOO_STALE.name(),
                        RejectReason.INVALID_VALUE.name(),
                        RejectReason.UNEXPECTED_STEP.name());
        assertThat(lone.out.rejected.get(0).reason).contains("3 versions behind");
        assertThat(lone.out.models.get(lone.out.models.size() - 1).version).isEqualTo(3);
    }

    @Test
    void shouldClipAnOutlyingDeltaToTheBuffersBoundAndNameItsDevice() {
        Lone lone =
                new Lone(
                        new AsyncParams(5, 100, 1.0, StalenessWeight.constant(), 50),
                        InfluenceBound.defaults());
        for (int i = 0; i < 4; i++) {
            lone.feed(ClientUpdate.delta("c" + i, "s0", 0, 0, 1, new double[] {1, 0}));
        }
        lone.feed(ClientUpdate.delta("bad", "s0", 0, 0, 1, new double[] {1000, 0}));
        // the median delta norm is 1: the outlier counts as 10 (the default ratio), not 1000
        ServerModel next = lone.out.models.get(lone.out.models.size() - 1);
        assertThat(next.vector).containsExactly(new double[] {(4 + 10) / 5.0, 0}, within(1e-12));
        assertThat(lone.s.metrics.clipped).containsExactly("bad");
    }

    @Test
    void shouldGiveTheSameModelsWhateverTheConsensusTiming() {
        List<ClientUpdate> s0 = deltas("s0", 12);
        List<ClientUpdate> s1 = deltas("s1", 12);
        Pair eager = new Pair();
        Pair lazy = new Pair();
        for (int i = 0; i < 12; i++) {
            eager.feed(s0.get(i));
            eager.feed(s1.get(i));
            eager.deliverConsensus(); // every message at once
        }
        for (int i = 0; i < 12; i++) {
            lazy.feed(s0.get(i)); // s0 runs ahead: its deltas wait through its consensus
        }
        lazy.deliverConsensus();
        for (int i = 0; i < 12; i++) {
            lazy.feed(s1.get(i));
            if (i % 5 == 0) {
                lazy.deliverConsensus();
            }
        }
        lazy.deliverConsensus();
        for (String server : List.of("s0", "s1")) {
            List<double[]> a = eager.models(server);
            List<double[]> b = lazy.models(server);
            assertThat(a).hasSizeGreaterThan(6);
            assertThat(b).hasSameSizeAs(a);
            for (int k = 0; k < a.size(); k++) {
                assertThat(b.get(k)).as("%s model %d", server, k).containsExactly(a.get(k));
            }
        }
    }

    private List<ClientUpdate> deltas(String server, int n) {
        List<ClientUpdate> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(
                    ClientUpdate.delta(
                            server + "-c" + i % 3, server, 0, i / 4, 1 + i % 3, random(2)));
        }
        return list;
    }

    private double[] random(int d) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = rnd.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static SourceRef source() {
        return new SourceRef("t", 0, 0, null, new byte[0]);
    }

    private static ServerParams params(AsyncParams async, int steps, long rounds) {
        return ServerParams.builder(2)
                .consensusSteps(steps)
                .closing(RoundClosing.count(1))
                .lastRound(rounds)
                .algorithm(new Algorithm.AsyncDfl(async))
                .bound(InfluenceBound.none())
                .build();
    }

    /** One server without neighbours. */
    private static final class Lone {
        final CollectingOutputs out = new CollectingOutputs();
        final ServerState s = new ServerState();
        final TopologyHistory topo = new TopologyHistory();
        final Server server;

        Lone(AsyncParams async) {
            this(async, InfluenceBound.none());
        }

        Lone(AsyncParams async, InfluenceBound bound) {
            topo.apply(TopologyEvent.graph(0, List.of("s0"), List.of()));
            server = new Server(params(async, 0, 0).toBuilder().bound(bound).build());
            server.onInput(s, ServerInput.wake("s0"), topo, out, 0);
        }

        void feed(ClientUpdate u) {
            server.onInput(s, ServerInput.of(u, source()), topo, out, 0);
        }
    }

    /**
     * Two neighbours (K = 2, V = 2, two consensus steps, 3 rounds), the wire in the test's hands.
     */
    private static final class Pair {
        final Server server =
                new Server(
                        params(new AsyncParams(2, 2, 0.8, StalenessWeight.constant(), 50), 2, 3));
        final TopologyHistory topo = new TopologyHistory();
        final java.util.Map<String, ServerState> states = new java.util.TreeMap<>();
        final java.util.Map<String, CollectingOutputs> outs = new java.util.TreeMap<>();
        int delivered0;
        int delivered1;

        Pair() {
            topo.apply(TopologyEvent.graph(0, List.of("s0", "s1"), List.of(new Edge("s0", "s1"))));
            for (String id : List.of("s0", "s1")) {
                states.put(id, new ServerState());
                outs.put(id, new CollectingOutputs());
                server.onInput(states.get(id), ServerInput.wake(id), topo, outs.get(id), 0);
            }
        }

        void feed(ClientUpdate u) {
            on(u.serverId, ServerInput.of(u, source()));
        }

        void on(String id, ServerInput in) {
            server.onInput(states.get(id), in, topo, outs.get(id), 0);
        }

        /** Hands every consensus message sent so far to its receiver, until none is left. */
        void deliverConsensus() {
            boolean moved = true;
            while (moved) {
                moved = false;
                List<ConsensusMessage> from0 = outs.get("s0").sent;
                List<ConsensusMessage> from1 = outs.get("s1").sent;
                while (delivered0 < from0.size()) {
                    on("s1", ServerInput.of(from0.get(delivered0++), source()));
                    moved = true;
                }
                while (delivered1 < from1.size()) {
                    on("s0", ServerInput.of(from1.get(delivered1++), source()));
                    moved = true;
                }
            }
        }

        List<double[]> models(String id) {
            List<double[]> v = new ArrayList<>();
            for (ServerModel m : outs.get(id).models) {
                v.add(m.vector);
            }
            return v;
        }
    }
}
