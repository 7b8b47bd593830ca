package io.dflink.operators.core.serverfda;

import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.operators.core.testing.DflSimulation;
import io.dflink.operators.core.testing.DflSimulation.ClientData;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.RoundMetrics;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server-tier FDA on the core state machine: PERIODIC and VARIANCE decide as documented, every
 * server of a component makes the same decision from the same estimate, the estimate is the
 * servers' exact variance for small models, delivery order changes nothing, and a threshold of 0
 * gossips every round with DFL's models bit for bit.
 */
class ServerFdaTest {

    private static final int STEPS = 5;
    private static final long ROUNDS = 10;

    @Test
    void shouldGossipOnlyEveryKthRoundAndInTheLastUnderPeriodic() {
        DflSimulation sim = simulation(ServerFdaParams.periodic(3), path(5), null);
        sim.run();

        assertThat(sim.rejected).isEmpty();
        for (RoundMetrics r : sim.metrics) {
            boolean expected = (r.round + 1) % 3 == 0 || r.round == ROUNDS - 1;
            assertThat(r.consensusRan)
                    .as("round %d of %s", r.round, r.serverId)
                    .isEqualTo(expected);
            assertThat(r.consensusMessagesSent > 0).isEqualTo(expected);
            assertThat(r.serverSync).isEqualTo("PERIODIC");
        }
    }

    @Test
    void shouldEstimateTheExactVarianceOfTheClientPhaseResultsOnEveryServer() {
        DflSimulation sim = simulation(ServerFdaParams.variance(0, 0), path(5), null);
        sim.run();

        int flood = 4; // the path's diameter
        Map<Long, List<RoundMetrics>> byRound = byRound(sim.metrics);
        for (Map.Entry<Long, List<RoundMetrics>> e : byRound.entrySet()) {
            long round = e.getKey();
            List<double[]> u = new ArrayList<>();
            for (String s : GraphFixtures.servers(5)) {
                u.add(sim.sentIterates.get(round + "/" + flood + "/" + s)); // v^0 = u_i
            }
            double exact = variance(u);
            for (RoundMetrics r : e.getValue()) {
                assertThat(r.consensusRan).isTrue();
                assertThat(r.varianceEstimate)
                        .as("round %d at %s", round, r.serverId)
                        .isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-12 * (1 + exact)));
                assertThat(r.varianceEstimate)
                        .as("every server computes the same bits")
                        .isEqualTo(e.getValue().get(0).varianceEstimate);
            }
        }
    }

    @Test
    void shouldEndOnDflsModelsBitForBitWhenTheThresholdIsZero() {
        DflSimulation always = simulation(ServerFdaParams.always(), ring(6), null);
        DflSimulation zero = simulation(ServerFdaParams.variance(0, 0), ring(6), null);
        always.run();
        zero.run();

        for (String s : GraphFixtures.servers(6)) {
            assertThat(zero.model(s, ROUNDS)).isEqualTo(always.model(s, ROUNDS));
        }
        assertThat(traffic(zero)).isGreaterThan(traffic(always)); // the flood is not free
    }

    @Test
    void shouldGossipAtTheMaximumIntervalWhenTheVarianceStaysBelowTheThreshold() {
        DflSimulation sim = simulation(ServerFdaParams.variance(1e9, 4), ring(6), null);
        sim.run();

        assertThat(sim.rejected).isEmpty();
        for (RoundMetrics r : sim.metrics) {
            // never synced before: round 0 is already 1 past "round -1"; then every 4th round
            boolean expected = r.round == 3 || r.round == 7 || r.round == ROUNDS - 1;
            assertThat(r.consensusRan)
                    .as("round %d of %s", r.round, r.serverId)
                    .isEqualTo(expected);
        }
    }

    @Test
    void shouldDecideAndEndAlikeWhateverTheDeliveryOrder() {
        double theta = 0.02;
        DflSimulation fifo = simulation(ServerFdaParams.variance(theta, 0), ring(6), null);
        DflSimulation shuffled = simulation(ServerFdaParams.variance(theta, 0), ring(6), 99L);
        fifo.run();
        shuffled.run();

        assertThat(decisions(shuffled)).isEqualTo(decisions(fifo));
        assertThat(decisions(fifo).values()).contains(true, false); // the threshold bites
        for (String s : GraphFixtures.servers(6)) {
            assertThat(shuffled.model(s, ROUNDS)).isEqualTo(fifo.model(s, ROUNDS));
        }
    }

    private static Map<String, Boolean> decisions(DflSimulation sim) {
        Map<String, Boolean> out = new TreeMap<>();
        for (RoundMetrics r : sim.metrics) {
            out.put(r.round + "/" + r.serverId, r.consensusRan);
        }
        for (long round = 0; round < ROUNDS; round++) {
            long fr = round;
            assertThat(
                            sim.metrics.stream()
                                    .filter(r -> r.round == fr)
                                    .map(r -> r.consensusRan)
                                    .distinct()
                                    .count())
                    .as("every server decides alike in round %d", round)
                    .isEqualTo(1);
        }
        return out;
    }

    private static long traffic(DflSimulation sim) {
        long bytes = 0;
        for (RoundMetrics r : sim.metrics) {
            bytes += r.consensusValuesSent;
        }
        return bytes;
    }

    static double variance(List<double[]> models) {
        double[] mean = Vec.mean(models, models.get(0).length);
        double sum = 0;
        for (double[] w : models) {
            sum += Vec.squaredDistance(w, mean);
        }
        return sum / models.size();
    }

    private static Map<Long, List<RoundMetrics>> byRound(List<RoundMetrics> metrics) {
        Map<Long, List<RoundMetrics>> out = new TreeMap<>();
        for (RoundMetrics r : metrics) {
            out.computeIfAbsent(r.round, k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static TopologyEvent ring(int m) {
        return TopologyEvent.graph(0, GraphFixtures.servers(m), GraphFixtures.ring(m).edges());
    }

    private static TopologyEvent path(int m) {
        return TopologyEvent.graph(0, GraphFixtures.servers(m), GraphFixtures.path(m).edges());
    }

    private static DflSimulation simulation(
            ServerFdaParams fda, TopologyEvent graph, Long shuffle) {
        Map<String, List<ClientData>> clients = clients(graph.servers.size(), 3, 7);
        ServerParams p =
                ServerParams.builder(2)
                        .consensusSteps(STEPS)
                        .lastRound(ROUNDS)
                        .serverFda(fda)
                        .build()
                        .withClientsPerServer(3);
        return new DflSimulation(p, graph, clients, 0.05, 10, shuffle);
    }

    /** Linear-regression clients, each server's with its own x-range (non-IID across servers). */
    static Map<String, List<ClientData>> clients(int m, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<ClientData>> out = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            List<ClientData> group = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                double lo = -2 + i;
                double[][] x = new double[20][];
                double[] y = new double[20];
                for (int k = 0; k < 20; k++) {
                    double v = lo + 2 * rnd.nextDouble();
                    x[k] = new double[] {v, 1};
                    y[k] = 5 * v + 2 + 0.1 * rnd.nextGaussian();
                }
                group.add(new ClientData("s" + i + "-c" + j, x, y));
            }
            out.put("s" + i, group);
        }
        return out;
    }
}
