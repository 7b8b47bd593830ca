package io.dflink.operators.core.admm;

import io.dflink.operators.core.math.Linalg;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The test oracles of docs/algorithms.md §4f on least squares over a ring of 6 agents. */
class LtAdmmOracleTest {

    private static final int N = 6;
    private static final int DIM = 5;
    private static final int SAMPLES = 40;
    private static final AdmmParams PAPER =
            new AdmmParams(0.02, 0.02, 1, 0.5, 5, 0, VarianceReduction.NONE, 1);

    private final List<LeastSquaresProblem> problems = new ArrayList<>();
    private final double[] optimum;

    LtAdmmOracleTest() {
        for (int i = 0; i < N; i++) {
            problems.add(LeastSquaresProblem.random(SAMPLES, DIM, 0.1 * i, 100 + i));
        }
        optimum = optimum(problems);
    }

    @Test
    void shouldKeepTheEdgeVariablesInvariantFromTheFirstRoundOn() {
        LtAdmmReference run = run(PAPER.withBatch(4, VarianceReduction.NONE), 1);
        // start from arbitrary edge variables: the invariant must hold after one round anyway
        SplittableRandom rnd = new SplittableRandom(3);
        for (LtAdmmReference.Agent a : run.agents().values()) {
            for (double[] z : a.z.values()) {
                for (int k = 0; k < DIM; k++) {
                    z[k] = rnd.nextGaussian();
                }
            }
        }
        for (int r = 0; r < 50; r++) {
            run.runRound();
            for (Map.Entry<String, LtAdmmReference.Agent> e : run.agents().entrySet()) {
                for (String j : ring().get(e.getKey())) {
                    double[] zij = e.getValue().z(j);
                    double[] zji = run.agent(j).z(e.getKey());
                    for (int k = 0; k < DIM; k++) {
                        double expected = PAPER.rho() * (e.getValue().x()[k] + run.agent(j).x()[k]);
                        assertThat(zij[k] + zji[k]).isCloseTo(expected, within(1e-12));
                    }
                }
            }
            // hence the penalties sum to zero: the mean follows centralised local SGD
            double[] sum = new double[DIM];
            for (LtAdmmReference.Agent a : run.agents().values()) {
                double[] c = LtAdmm.frozenPenalty(PAPER, a.x(), a.z.values());
                for (int k = 0; k < DIM; k++) {
                    sum[k] += c[k];
                }
            }
            for (double s : sum) {
                assertThat(s).isCloseTo(0, within(1e-12));
            }
        }
    }

    @Test
    void shouldReachTheExactOptimumWithFullGradientsAndBothVarianceReductions() {
        for (AdmmParams p :
                List.of(
                        PAPER,
                        PAPER.withBatch(4, VarianceReduction.RESET),
                        PAPER.withBatch(4, VarianceReduction.SAGA))) {
            LtAdmmReference run = run(p, 3000);
            assertThat(maxError(run)).as(p.variance() + " b=" + p.batchSize()).isLessThan(1e-10);
        }
    }

    @Test
    void shouldPlateauInANeighbourhoodThatShrinksWithGammaUnderPlainStochasticLtAdmm() {
        double coarse = plateau(PAPER.withBatch(4, VarianceReduction.NONE), 3000);
        double fine =
                plateau(PAPER.withSteps(0.005, 0.005).withBatch(4, VarianceReduction.NONE), 12000);
        // the neighbourhood's squared radius is proportional to gamma: a quarter of gamma, ~1/4
        assertThat(coarse).as("gamma 0.02: a neighbourhood, not the optimum").isGreaterThan(1e-4);
        assertThat(fine).as("gamma 0.005").isLessThan(coarse / 2.5);
        System.out.printf(
                "plain LT-ADMM plateau (mean squared max error): gamma 0.02 -> %.3e, 0.005 -> %.3e%n",
                coarse, fine);
    }

    @Test
    void shouldSatisfyTheFixedPointEquationsInTheLimit() {
        LtAdmmReference run = run(PAPER, 3000);
        for (Map.Entry<String, LtAdmmReference.Agent> e : run.agents().entrySet()) {
            LtAdmmReference.Agent a = e.getValue();
            int i = Integer.parseInt(e.getKey().substring(1));
            double[] grad = problems.get(i).fullGradient(optimum);
            double[] zsum = new double[DIM];
            for (String j : ring().get(e.getKey())) {
                double[] zji = run.agent(j).z(e.getKey());
                for (int k = 0; k < DIM; k++) {
                    assertThat(a.z(j)[k] + zji[k])
                            .isCloseTo(2 * PAPER.rho() * optimum[k], within(1e-9));
                    zsum[k] += a.z(j)[k];
                }
            }
            for (int k = 0; k < DIM; k++) {
                double residual =
                        PAPER.gamma() * grad[k]
                                + PAPER.beta() * (PAPER.rho() * 2 * optimum[k] - zsum[k]);
                assertThat(residual).isCloseTo(0, within(1e-10));
            }
        }
    }

    @Test
    void shouldBeLinearisedRelaxedAdmmForOneFullGradientStepWithBetaEqualGamma() {
        AdmmParams p = new AdmmParams(0.03, 0.03, 1.5, 0.5, 1, 0, VarianceReduction.NONE, 1);
        LtAdmmReference run = run(p, 7);
        Map<String, double[]> x = new LinkedHashMap<>();
        Map<String, double[]> zsum = new LinkedHashMap<>();
        for (Map.Entry<String, LtAdmmReference.Agent> e : run.agents().entrySet()) {
            x.put(e.getKey(), e.getValue().x().clone());
            double[] s = new double[DIM];
            e.getValue()
                    .z
                    .values()
                    .forEach(
                            z -> {
                                for (int k = 0; k < DIM; k++) {
                                    s[k] += z[k];
                                }
                            });
            zsum.put(e.getKey(), s);
        }
        run.runRound();
        for (String id : x.keySet()) {
            int i = Integer.parseInt(id.substring(1));
            double[] g = problems.get(i).fullGradient(x.get(id));
            for (int k = 0; k < DIM; k++) {
                double expected =
                        x.get(id)[k]
                                - p.gamma() * (g[k] + p.rho() * 2 * x.get(id)[k] - zsum.get(id)[k]);
                assertThat(run.agent(id).x()[k]).isCloseTo(expected, within(1e-13));
            }
        }
    }

    @Test
    void shouldKeepTheSagaEstimatorUnbiasedOverEveryBatchAndExactAfterAReset() {
        LeastSquaresProblem small = LeastSquaresProblem.random(5, 3, 0.5, 9);
        double[] table = {0.3, -0.2, 0.7};
        double[] phi = {0.4, 1.1, -0.6};
        double[] mean = new double[3];
        int batches = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                // the shard's table filled at 'table', then one step at phi on batch {a, b}
                double[] g = sagaEstimate(small, table, phi, new int[] {a, b});
                for (int k = 0; k < 3; k++) {
                    mean[k] += g[k];
                }
                batches++;
            }
        }
        double[] full = small.fullGradient(phi);
        for (int k = 0; k < 3; k++) {
            assertThat(mean[k] / batches).isCloseTo(full[k], within(1e-12));
        }
        // VR-1 at a round's first step: the table is refilled at phi, so g is the full gradient
        GradientShard shard = new GradientShard(small, 2, 1);
        double[] g =
                GradientShard.combine(
                        List.of(shard.contribute(VarianceReduction.RESET, phi, true)), 3);
        assertThat(g).containsExactly(full, within(1e-12));
    }

    @Test
    void shouldGiveTheSameFullGradientRunWhenAnAgentsSamplesAreSplitOverShards() {
        AdmmParams p = PAPER;
        LtAdmmReference whole = run(p, 200);
        Map<String, List<GradientShard>> split = new LinkedHashMap<>();
        for (int i = 0; i < N; i++) {
            LeastSquaresProblem pr = problems.get(i);
            List<GradientShard> parts = new ArrayList<>();
            for (int from = 0; from < SAMPLES; from += 10) {
                parts.add(new GradientShard(slice(pr, from, from + 10), 0, i));
            }
            split.put("a" + i, parts);
        }
        LtAdmmReference shards = new LtAdmmReference(p, split, ring(), new double[DIM]);
        for (int r = 0; r < 200; r++) {
            shards.runRound();
        }
        for (String id : whole.agents().keySet()) {
            assertThat(shards.agent(id).x()).containsExactly(whole.agent(id).x(), within(1e-12));
        }
    }

    /** g of a SAGA step whose table entries all equal {@code table}, on the given batch. */
    private static double[] sagaEstimate(
            LeastSquaresProblem pr, double[] table, double[] phi, int[] batch) {
        double[] g = new double[phi.length];
        double[] gh = new double[phi.length];
        for (int h : batch) {
            pr.gradient(h, phi, gh);
            for (int k = 0; k < g.length; k++) {
                g[k] += (gh[k] - table[k]) / batch.length;
            }
        }
        for (int k = 0; k < g.length; k++) {
            g[k] += table[k]; // (1/m) sum of m equal entries
        }
        return g;
    }

    private LtAdmmReference run(AdmmParams p, int rounds) {
        Map<String, List<GradientShard>> shards = new LinkedHashMap<>();
        for (int i = 0; i < N; i++) {
            shards.put("a" + i, List.of(new GradientShard(problems.get(i), p.batchSize(), 7 + i)));
        }
        LtAdmmReference run = new LtAdmmReference(p, shards, ring(), new double[DIM]);
        for (int r = 0; r < rounds; r++) {
            run.runRound();
        }
        return run;
    }

    /** The squared max error averaged over the last quarter of a run: the plateau's height. */
    private double plateau(AdmmParams p, int rounds) {
        LtAdmmReference run = run(p, rounds * 3 / 4);
        double sum = 0;
        int n = rounds - rounds * 3 / 4;
        for (int r = 0; r < n; r++) {
            run.runRound();
            double e = maxError(run);
            sum += e * e;
        }
        return sum / n;
    }

    private double maxError(LtAdmmReference run) {
        double max = 0;
        for (LtAdmmReference.Agent a : run.agents().values()) {
            for (int k = 0; k < DIM; k++) {
                max = Math.max(max, Math.abs(a.x()[k] - optimum[k]));
            }
        }
        return max;
    }

    private static Map<String, List<String>> ring() {
        Map<String, List<String>> n = new LinkedHashMap<>();
        for (int i = 0; i < N; i++) {
            n.put("a" + i, List.of("a" + (i + N - 1) % N, "a" + (i + 1) % N));
        }
        return n;
    }

    /** x* = (sum_i A_i^T A_i / m_i)^-1 sum_i A_i^T b_i / m_i. */
    private static double[] optimum(List<LeastSquaresProblem> problems) {
        double[][] h = new double[DIM][DIM];
        double[] r = new double[DIM];
        for (LeastSquaresProblem p : problems) {
            for (int s = 0; s < p.samples(); s++) {
                for (int k = 0; k < DIM; k++) {
                    r[k] += p.a[s][k] * p.b[s] / p.samples();
                    for (int l = 0; l < DIM; l++) {
                        h[k][l] += p.a[s][k] * p.a[s][l] / p.samples();
                    }
                }
            }
        }
        return Linalg.solve(h, r);
    }

    private static LeastSquaresProblem slice(LeastSquaresProblem p, int from, int to) {
        return new LeastSquaresProblem(
                Arrays.copyOfRange(p.a, from, to), Arrays.copyOfRange(p.b, from, to));
    }
}
