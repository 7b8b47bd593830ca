package io.dflink.operators.core.server;

import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.operators.core.math.Linalg;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.testing.DflSimulation;
import io.dflink.operators.core.testing.DflSimulation.ClientData;
import io.dflink.operators.core.testing.EpochMap;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The DFL oracles of docs/algorithms.md §1f, run on {@link Server} through an in-memory network:
 * mean preservation and sigma_A contraction of the server phase, the exact epoch map and its
 * closed-form fixed point for quadratic losses, and the degenerate cases.
 */
class DflOracleTest {

    private static final int D = 20;

    @Test
    void shouldPreserveTheMeanAndContractDisagreementEveryRound() {
        int m = 5;
        int steps = 5;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, 3, 7);
        DflSimulation sim = simulate(m, 3, steps, 10, ring(m), clients, 0.05, 10, null);
        double sigma = sigma(MixingWeights.matrix(GraphFixtures.ring(m)), steps);
        for (long r = 0; r < 10; r++) {
            double[][] u = aggregates(sim, clients, r, 0.05, 10);
            double[][] next = stack(sim, m, r + 1);
            double[] meanU = colMean(u);
            double[] meanNext = colMean(next);
            for (int k = 0; k < 2; k++) {
                assertThat(meanNext[k])
                        .isCloseTo(meanU[k], within(1e-12 * Math.abs(meanU[k]) + 1e-15));
            }
            assertThat(disagreement(next)).isLessThanOrEqualTo(sigma * disagreement(u) + 1e-15);
        }
    }

    @Test
    void shouldFollowTheEpochMapAndConvergeToItsFixedPoint() {
        int m = 5;
        int n = 3;
        int steps = 3;
        double gamma = 0.1;
        int localSteps = 10;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, n, 11);
        int rounds = 150;
        DflSimulation sim =
                simulate(m, n, steps, rounds, ring(m), clients, gamma, localSteps, null);
        EpochMap map =
                EpochMap.of(
                        clients,
                        MixingWeights.matrix(GraphFixtures.ring(m)),
                        steps,
                        gamma,
                        localSteps);
        for (long r = 0; r < 20; r++) {
            double[] predicted = map.apply(flatten(stack(sim, m, r)));
            assertThat(flatten(stack(sim, m, r + 1))).containsExactly(predicted, within(1e-12));
        }
        double[] fixedPoint = map.fixedPoint();
        assertThat(flatten(stack(sim, m, rounds))).containsExactly(fixedPoint, within(1e-9));
    }

    @Test
    void shouldReduceToPlainGradientDescentForOneServerAndOneClient() {
        Map<String, List<ClientData>> clients = heterogeneousClients(1, 1, 3);
        DflSimulation sim = simulate(1, 1, 25, 6, singleServer(), clients, 0.05, 10, null);
        double[] gd =
                DflSimulation.localTraining(clients.get("s0").get(0), new double[2], 0.05, 60);
        assertThat(sim.model("s0", 6)).containsExactly(gd, within(1e-13));
    }

    @Test
    void shouldRunIndependentFedAvgGroupsWithoutConsensusSteps() {
        int m = 3;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, 4, 5);
        DflSimulation sim = simulate(m, 4, 0, 5, ring(m), clients, 0.05, 10, null);
        for (int i = 0; i < m; i++) {
            double[] w = new double[2];
            for (int r = 0; r < 5; r++) {
                List<double[]> trained = new ArrayList<>();
                for (ClientData c : clients.get("s" + i)) {
                    trained.add(DflSimulation.localTraining(c, w, 0.05, 10));
                }
                w = Vec.mean(trained, 2);
            }
            assertThat(sim.model("s" + i, 5)).containsExactly(w, within(1e-13));
        }
        assertThat(sim.metrics).allSatisfy(x -> assertThat(x.consensusMessagesSent).isZero());
    }

    @Test
    void shouldEqualSingleServerFedAvgOverAllClientsOnACompleteGraph() {
        int m = 4;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, 2, 9);
        DflSimulation sim = simulate(m, 2, 1, 5, complete(m), clients, 0.05, 10, null);
        double[] w = new double[2];
        for (int r = 0; r < 5; r++) {
            List<double[]> trained = new ArrayList<>();
            for (List<ClientData> group : clients.values()) {
                for (ClientData c : group) {
                    trained.add(DflSimulation.localTraining(c, w, 0.05, 10));
                }
            }
            w = Vec.mean(trained, 2);
        }
        for (int i = 0; i < m; i++) {
            assertThat(sim.model("s" + i, 5)).containsExactly(w, within(1e-12));
        }
    }

    @Test
    void shouldConvergeToTheLeastSquaresOptimumWhenAllClientsHoldTheSameData() {
        int m = 3;
        ClientData same = heterogeneousClients(1, 1, 21).get("s0").get(0);
        Map<String, List<ClientData>> clients = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            clients.put(
                    "s" + i,
                    List.of(
                            new ClientData("s" + i + "-c0", same.x(), same.y()),
                            new ClientData("s" + i + "-c1", same.x(), same.y())));
        }
        DflSimulation sim = simulate(m, 2, 5, 200, ring(m), clients, 0.1, 10, null);
        double[] ls = Linalg.leastSquares(same.x(), same.y());
        for (int i = 0; i < m; i++) {
            assertThat(sim.model("s" + i, 200)).containsExactly(ls, within(1e-10));
        }
    }

    @Test
    void shouldGiveBitIdenticalModelsWhateverTheDeliveryOrder() {
        int m = 5;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, 3, 13);
        DflSimulation fifo = simulate(m, 3, 5, 8, ring(m), clients, 0.05, 10, null);
        for (long seed = 1; seed <= 3; seed++) {
            DflSimulation shuffled = simulate(m, 3, 5, 8, ring(m), clients, 0.05, 10, seed);
            for (int i = 0; i < m; i++) {
                assertThat(shuffled.model("s" + i, 8)).isEqualTo(fifo.model("s" + i, 8));
            }
            assertThat(shuffled.rejected).isEmpty();
        }
    }

    // ---- fixtures ----

    static Map<String, List<ClientData>> heterogeneousClients(int m, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<ClientData>> out = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            List<ClientData> group = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                double lo = -2 + 2 * rnd.nextDouble();
                double[][] x = new double[D][];
                double[] y = new double[D];
                for (int k = 0; k < D; k++) {
                    double xi = lo + 3 * rnd.nextDouble();
                    x[k] = new double[] {xi, 1};
                    y[k] = 5 * xi + 2 + 0.1 * (rnd.nextDouble() - 0.5);
                }
                group.add(new ClientData("s" + i + "-c" + j, x, y));
            }
            out.put("s" + i, group);
        }
        return out;
    }

    static DflSimulation simulate(
            int m,
            int n,
            int steps,
            long rounds,
            TopologyEvent graph,
            Map<String, List<ClientData>> clients,
            double gamma,
            int localSteps,
            Long shuffle) {
        ServerParams p =
                ServerParams.defaults(2)
                        .withConsensusSteps(steps)
                        .withClientsPerServer(n)
                        .withLastRound(rounds);
        DflSimulation sim = new DflSimulation(p, graph, clients, gamma, localSteps, shuffle);
        sim.run();
        assertThat(sim.rejected).isEmpty();
        return sim;
    }

    static TopologyEvent ring(int m) {
        return TopologyEvent.graph(0, GraphFixtures.servers(m), GraphFixtures.ring(m).edges());
    }

    static TopologyEvent complete(int m) {
        return TopologyEvent.graph(0, GraphFixtures.servers(m), GraphFixtures.complete(m).edges());
    }

    static TopologyEvent singleServer() {
        return TopologyEvent.graph(0, List.of("s0"), List.of());
    }

    private static double[][] aggregates(
            DflSimulation sim,
            Map<String, List<ClientData>> clients,
            long round,
            double gamma,
            int localSteps) {
        double[][] u = new double[clients.size()][];
        int i = 0;
        for (Map.Entry<String, List<ClientData>> e : clients.entrySet()) {
            List<double[]> trained = new ArrayList<>();
            for (ClientData c : e.getValue()) {
                trained.add(
                        DflSimulation.localTraining(
                                c, sim.model(e.getKey(), round), gamma, localSteps));
            }
            u[i++] = Vec.mean(trained, 2);
        }
        return u;
    }

    static double[][] stack(DflSimulation sim, int m, long round) {
        double[][] w = new double[m][];
        for (int i = 0; i < m; i++) {
            w[i] = sim.model("s" + i, round);
        }
        return w;
    }

    static double[] flatten(double[][] w) {
        double[] f = new double[w.length * w[0].length];
        for (int i = 0; i < w.length; i++) {
            System.arraycopy(w[i], 0, f, i * w[0].length, w[0].length);
        }
        return f;
    }

    private static double[] colMean(double[][] w) {
        return Vec.mean(List.of(w), w[0].length);
    }

    private static double disagreement(double[][] w) {
        double[] mean = colMean(w);
        double s = 0;
        for (double[] row : w) {
            double d = Vec.distance(row, mean);
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static double sigma(double[][] a, int steps) {
        double[][] p = Linalg.power(a, steps);
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                p[i][j] -= 1.0 / p.length;
            }
        }
        return Linalg.symmetricSpectralNorm(p);
    }
}
