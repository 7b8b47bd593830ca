package io.dflink.operators.core.lora;

import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.operators.core.math.Linalg;
import io.dflink.records.Edge;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The test oracles of docs/algorithms.md §2f: cross term, mixing, schedule, MH, contraction. */
class LoraOracleTest {

    private static final int M = 10;
    private static final int D_OUT = 6;
    private static final int D_IN = 5;
    private static final int RANK = 2;

    @Test
    void shouldHoldTheCrossTermIdentity() {
        List<LoraFactors> clients = randomClients(1);
        double[] lhs = LoraMixing.meanProduct(clients);
        double[] rhs =
                LoraFactors.multiply(
                        LoraMixing.mean(clients, false),
                        LoraMixing.mean(clients, true),
                        D_OUT,
                        RANK,
                        D_IN);
        double[] c = LoraMixing.crossTerm(clients);
        for (int k = 0; k < lhs.length; k++) {
            assertThat(lhs[k]).isCloseTo(rhs[k] + c[k], within(1e-14));
        }
    }

    @Test
    void shouldPreserveTheFactorMeansButNotTheMeanProductUnderDoublyStochasticMixing() {
        List<LoraFactors> clients = randomClients(2);
        double[] abar = LoraMixing.mean(clients, true);
        double[] bbar = LoraMixing.mean(clients, false);
        double[] product = LoraMixing.meanProduct(clients);
        LoraMixing.mix(
                clients,
                mh(LinkActivation.activeGraph(complete(), 3, 0, 0.5)),
                LoraVariant.Factor.BOTH);
        assertThat(LoraMixing.mean(clients, true)).containsExactly(abar, within(1e-14));
        assertThat(LoraMixing.mean(clients, false)).containsExactly(bbar, within(1e-14));
        double drift = 0;
        double[] after = LoraMixing.meanProduct(clients);
        for (int k = 0; k < after.length; k++) {
            drift = Math.max(drift, Math.abs(after[k] - product[k]));
        }
        assertThat(drift).as("mean B_i A_i moves with the cross term").isGreaterThan(1e-6);
    }

    @Test
    void shouldGiveNoCrossTermWithASharedA() {
        List<LoraFactors> clients = randomClients(4);
        double[] a = clients.get(0).a;
        clients.forEach(f -> f.a = a.clone());
        assertThat(LoraMixing.frobenius(LoraMixing.crossTerm(clients))).isLessThan(1e-15);
        double[] expected =
                LoraFactors.multiply(LoraMixing.mean(clients, false), a, D_OUT, RANK, D_IN);
        assertThat(LoraMixing.meanProduct(clients)).containsExactly(expected, within(1e-15));
    }

    @Test
    void shouldContractTheDisagreementByTheSpectralGapWhenMixing() {
        for (long round = 0; round < 20; round++) {
            List<LoraFactors> clients = randomClients(10 + round);
            double[][] w = mh(LinkActivation.activeGraph(complete(), 5, round, 0.3));
            double before = LoraMixing.disagreement(clients, true);
            LoraMixing.mix(clients, w, LoraVariant.Factor.A);
            double bound = spectralNormMinusJ(w) * before;
            assertThat(LoraMixing.disagreement(clients, true)).isLessThanOrEqualTo(bound + 1e-12);
        }
    }

    @Test
    void shouldStartTheScheduleWithBAndAlternateEveryTRounds() {
        int t = 3;
        for (long r = 0; r < 12; r++) {
            LoraVariant.Factor expected =
                    (r / 3) % 2 == 0 ? LoraVariant.Factor.B : LoraVariant.Factor.A;
            assertThat(LoraSchedule.active(r, t)).as("round %d", r).isEqualTo(expected);
            assertThat(LoraVariant.TAD_LORA.trained(r, t)).isEqualTo(expected);
            assertThat(LoraVariant.TAD_LORA.mixed(r, t)).isEqualTo(LoraVariant.Factor.BOTH);
            assertThat(LoraVariant.TAD_LORA_NO_JOINT.mixed(r, t)).isEqualTo(expected);
            assertThat(LoraVariant.ROLORA.trained(r, t))
                    .isEqualTo(r % 2 == 0 ? LoraVariant.Factor.B : LoraVariant.Factor.A);
            assertThat(LoraVariant.FFA_LORA.trained(r, t)).isEqualTo(LoraVariant.Factor.B);
            assertThat(LoraVariant.LORA.mixed(r, t)).isEqualTo(LoraVariant.Factor.BOTH);
        }
        LoraFactors init = LoraFactors.initial(D_OUT, D_IN, RANK, 9);
        assertThat(init.b).containsOnly(0.0);
        assertThat(LoraFactors.initial(D_OUT, D_IN, RANK, 9).a).containsExactly(init.a);
    }

    @Test
    void shouldLeaveTheOtherFactorBitIdenticalWhenMixingOnlyTheActiveOne() {
        List<LoraFactors> clients = randomClients(6);
        List<double[]> a = new ArrayList<>();
        clients.forEach(f -> a.add(f.a.clone()));
        LoraMixing.mix(
                clients,
                mh(LinkActivation.activeGraph(complete(), 1, 4, 0.5)),
                LoraVariant.Factor.B);
        for (int i = 0; i < M; i++) {
            assertThat(clients.get(i).a).containsExactly(a.get(i));
        }
    }

    @Test
    void shouldBuildSymmetricDoublyStochasticMhWeightsWithAPositiveDiagonalOnTheActiveGraph() {
        for (long round = 0; round < 30; round++) {
            Graph active = LinkActivation.activeGraph(complete(), 7, round, 0.1);
            double[][] w = mh(active);
            for (int i = 0; i < M; i++) {
                double row = 0;
                double col = 0;
                for (int j = 0; j < M; j++) {
                    assertThat(w[i][j]).isGreaterThanOrEqualTo(0).isEqualTo(w[j][i]);
                    row += w[i][j];
                    col += w[j][i];
                }
                assertThat(row).isCloseTo(1, within(1e-12));
                assertThat(col).isCloseTo(1, within(1e-12));
                assertThat(w[i][i]).isPositive();
                if (active.degree(active.servers().get(i)) == 0) {
                    assertThat(w[i][i]).as("isolated").isEqualTo(1.0);
                }
            }
        }
        // both ends of a link draw the same activation
        for (long r = 0; r < 100; r++) {
            assertThat(LinkActivation.active(3, r, "s1", "s4", 0.3))
                    .isEqualTo(LinkActivation.active(3, r, "s4", "s1", 0.3));
        }
    }

    @Test
    void shouldMatchTheReferenceTableOfTheErMhContraction() {
        double[][] table = {
            {0.5, 0.154}, {0.2, 0.432}, {0.1, 0.639}, {0.05, 0.792}, {0.02, 0.910}, {0.01, 0.954}
        };
        for (double[] row : table) {
            double rho = contraction(row[0], 20_000, 11);
            assertThat(rho).as("p = %s", row[0]).isCloseTo(row[1], within(0.01));
        }
    }

    @Test
    void shouldReduceToLocalTrainingUnderIdentityMixing() {
        List<LoraFactors> clients = randomClients(8);
        List<LoraFactors> before = new ArrayList<>();
        clients.forEach(f -> before.add(f.copy()));
        double[][] identity = mh(Graph.of(complete().servers(), List.of()));
        LoraMixing.mix(clients, identity, LoraVariant.Factor.BOTH);
        for (int i = 0; i < M; i++) {
            assertThat(clients.get(i).a).containsExactly(before.get(i).a);
            assertThat(clients.get(i).b).containsExactly(before.get(i).b);
        }
    }

    /** rho = ||E[W^T W] - J||_2 over {@code draws} ER(p) + MH rounds on K_10. */
    private static double contraction(double p, int draws, long seed) {
        double[][] e = new double[M][M];
        for (int d = 0; d < draws; d++) {
            double[][] w = mh(LinkActivation.activeGraph(complete(), seed, d, p));
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < M; j++) {
                    double s = 0;
                    for (int k = 0; k < M; k++) {
                        s += w[k][i] * w[k][j];
                    }
                    e[i][j] += s / draws;
                }
            }
        }
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                e[i][j] -= 1.0 / M;
            }
        }
        return Linalg.symmetricSpectralNorm(e);
    }

    private static double spectralNormMinusJ(double[][] w) {
        double[][] x = new double[M][M];
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < M; j++) {
                x[i][j] = w[i][j] - 1.0 / M;
            }
        }
        return Linalg.symmetricSpectralNorm(x); // W symmetric, so W - J is too
    }

    private static double[][] mh(Graph g) {
        return MixingWeights.matrix(g);
    }

    private static Graph complete() {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < M; i++) {
            servers.add("c" + i);
        }
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < M; i++) {
            for (int j = i + 1; j < M; j++) {
                edges.add(new Edge(servers.get(i), servers.get(j)));
            }
        }
        return Graph.of(servers, edges);
    }

    private static List<LoraFactors> randomClients(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<LoraFactors> clients = new ArrayList<>();
        for (int i = 0; i < M; i++) {
            double[] b = new double[D_OUT * RANK];
            double[] a = new double[RANK * D_IN];
            for (int k = 0; k < b.length; k++) {
                b[k] = rnd.nextGaussian();
            }
            for (int k = 0; k < a.length; k++) {
                a[k] = rnd.nextGaussian();
            }
            clients.add(new LoraFactors(D_OUT, D_IN, RANK, b, a));
        }
        return clients;
    }
}
