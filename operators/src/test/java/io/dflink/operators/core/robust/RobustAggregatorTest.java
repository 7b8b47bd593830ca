package io.dflink.operators.core.robust;

import io.dflink.operators.core.math.Vec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The robust aggregation kernels against straightforward references on random inputs (to 1e-12),
 * their independence of the input order, and their breakdown points: with up to the tolerated
 * number of arbitrary vectors the median and the trimmed mean stay inside the honest vectors'
 * range, multi-Krum keeps no far attacker, and centred clipping moves at most its radius per
 * iteration from its centre, however far the attackers. The plain mean is bit for bit the servers'
 * client averaging.
 */
class RobustAggregatorTest {

    private final SplittableRandom rnd = new SplittableRandom(7);

    @Test
    void shouldComputeTheWeightedMeanBitForBitAsTheClientAveragingDoes() {
        for (int trial = 0; trial < 20; trial++) {
            double[][] x = vectors(1 + rnd.nextInt(9), 1 + rnd.nextInt(20));
            double[] w = weights(x.length);
            double total = 0;
            for (double v : w) {
                total += v;
            }
            double[] expected = Vec.weightedSum(w, x);
            Vec.scale(1.0 / total, expected);
            assertThat(
                            RobustAggregator.aggregate(
                                            new Aggregation.Mean(), w, x, new double[x[0].length])
                                    .vector())
                    .containsExactly(expected);
            double[] reference = new double[x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < reference.length; j++) {
                    reference[j] += w[i] * x[i][j] / total;
                }
            }
            assertClose(expected, reference);
        }
    }

    @Test
    void shouldMatchTheReferencesOnRandomInputs() {
        for (int trial = 0; trial < 50; trial++) {
            int n = 5 + rnd.nextInt(12);
            double[][] x = vectors(n, 1 + rnd.nextInt(16));
            double[] w = weights(n);
            assertClose(RobustAggregator.median(x), referenceMedian(x));
            double beta = 0.05 + 0.4 * rnd.nextDouble();
            assertClose(RobustAggregator.trimmedMean(x, beta), referenceTrimmedMean(x, beta));
            int f = (n - 3) / 2;
            int m = 1 + rnd.nextInt(n - f);
            assertClose(RobustAggregator.multiKrum(w, x, f, m), referenceMultiKrum(w, x, f, m));
            double[] center = vectors(1, x[0].length)[0];
            double tau = 0.1 + rnd.nextDouble();
            assertClose(
                    RobustAggregator.centeredClipping(x, center, tau, 3),
                    referenceClipping(x, center, tau, 3));
        }
    }

    @Test
    void shouldNotDependOnTheOrderOfTheInputs() {
        double[][] x = vectors(11, 6);
        double[] w = weights(11);
        double[] center = new double[6];
        List<Aggregation> rules =
                List.of(
                        new Aggregation.Mean(),
                        new Aggregation.Median(),
                        new Aggregation.TrimmedMean(0.2),
                        new Aggregation.MultiKrum(3, 5),
                        new Aggregation.CenteredClipping(0.5, 3));
        for (Aggregation rule : rules) {
            double[] before = RobustAggregator.aggregate(rule, w, x, center).vector();
            int[] perm = permutation(11);
            double[][] px = new double[11][];
            double[] pw = new double[11];
            for (int i = 0; i < 11; i++) {
                px[i] = x[perm[i]];
                pw[i] = w[perm[i]];
            }
            assertClose(RobustAggregator.aggregate(rule, pw, px, center).vector(), before);
        }
    }

    @Test
    void shouldKeepTheMedianAndTheTrimmedMeanInsideTheHonestRange() {
        int n = 10;
        for (int attackers = 1; attackers <= 4; attackers++) {
            double[][] x = vectors(n, 5);
            for (int a = 0; a < attackers; a++) {
                for (int j = 0; j < 5; j++) {
                    x[a][j] = (j % 2 == 0 ? 1 : -1) * 1e9 * (a + 1);
                }
            }
            double[] median = RobustAggregator.median(x);
            double[] trimmed = RobustAggregator.trimmedMean(x, 0.4);
            for (int j = 0; j < 5; j++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = attackers; i < n; i++) {
                    lo = Math.min(lo, x[i][j]);
                    hi = Math.max(hi, x[i][j]);
                }
                assertThat(median[j]).isBetween(lo, hi);
                assertThat(trimmed[j]).isBetween(lo, hi);
            }
        }
    }

    @Test
    void shouldKeepNoFarAttackerInMultiKrum() {
        int n = 12;
        int f = 4;
        double[][] x = vectors(n, 8);
        for (int a = 0; a < f; a++) {
            Vec.scale(1e4, x[a]);
            x[a][0] += 50 * (a + 1);
        }
        int[] kept = RobustAggregator.multiKrumSelection(x, f, n - f);
        assertThat(kept).hasSize(n - f).doesNotContain(0, 1, 2, 3);
        assertThatThrownBy(() -> RobustAggregator.multiKrumSelection(x, 5, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMoveCenteredClippingAtMostTheRadiusPerIterationHoweverFarTheAttackers() {
        int n = 10;
        double[][] x = vectors(n, 4);
        x[0] = new double[] {1e6, -1e6, 1e6, -1e6};
        x[1] = new double[] {-1e6, 1e6, 1e6, 1e6};
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        double[] center = new double[4];
        double tau = 0.3;
        for (int iterations = 1; iterations <= 4; iterations++) {
            double[] result = RobustAggregator.centeredClipping(x, center, tau, iterations);
            assertThat(Vec.distance(result, center)).isLessThanOrEqualTo(iterations * tau + 1e-12);
            double[] honestOnly =
                    RobustAggregator.centeredClipping(
                            java.util.Arrays.copyOfRange(x, 2, n), center, tau, iterations);
            assertThat(Vec.norm(honestOnly)).isLessThanOrEqualTo(iterations * tau + 1e-12);
        }
        assertThat(Vec.norm(RobustAggregator.mean(w, x))).as("the plain mean").isGreaterThan(1e5);
    }

    @Test
    void shouldRefuseSettingsOutsideTheirRange() {
        assertThatThrownBy(() -> new Aggregation.TrimmedMean(0.5))
                .hasMessageContaining("trim-fraction");
        assertThatThrownBy(() -> new Aggregation.MultiKrum(-1, 1))
                .hasMessageContaining("krum-byzantine");
        assertThatThrownBy(() -> new Aggregation.CenteredClipping(0, 1))
                .hasMessageContaining("clip-radius");
        assertThatThrownBy(() -> RobustAggregator.trimmedMean(vectors(2, 2), 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- references: the definitions, written as plainly as possible ----

    private static double[] referenceMedian(double[][] x) {
        double[] out = new double[x[0].length];
        for (int j = 0; j < out.length; j++) {
            List<Double> column = column(x, j);
            int n = column.size();
            out[j] =
                    n % 2 == 1
                            ? column.get(n / 2)
                            : 0.5 * column.get(n / 2 - 1) + 0.5 * column.get(n / 2);
        }
        return out;
    }

    private static double[] referenceTrimmedMean(double[][] x, double beta) {
        int cut = (int) Math.floor(beta * x.length);
        double[] out = new double[x[0].length];
        for (int j = 0; j < out.length; j++) {
            List<Double> kept = column(x, j).subList(cut, x.length - cut);
            out[j] = kept.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }
        return out;
    }

    private static double[] referenceMultiKrum(double[] w, double[][] x, int f, int m) {
        int n = x.length;
        List<double[]> scored = new ArrayList<>(); // {score, index}
        for (int i = 0; i < n; i++) {
            List<Double> d = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    double s = 0;
                    for (int j = 0; j < x[i].length; j++) {
                        s += Math.pow(x[i][j] - x[k][j], 2);
                    }
                    d.add(s);
                }
            }
            Collections.sort(d);
            double score = 0;
            for (int k = 0; k < n - f - 2; k++) {
                score += d.get(k);
            }
            scored.add(new double[] {score, i});
        }
        scored.sort(
                (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        double[] out = new double[x[0].length];
        double total = 0;
        for (int k = 0; k < m; k++) {
            total += w[(int) scored.get(k)[1]];
        }
        for (int k = 0; k < m; k++) {
            int i = (int) scored.get(k)[1];
            for (int j = 0; j < out.length; j++) {
                out[j] += w[i] * x[i][j] / total;
            }
        }
        return out;
    }

    private static double[] referenceClipping(
            double[][] x, double[] center, double tau, int iterations) {
        double[] v = center.clone();
        for (int t = 0; t < iterations; t++) {
            double[] next = v.clone();
            for (double[] xi : x) {
                double norm = 0;
                for (int j = 0; j < v.length; j++) {
                    norm += (xi[j] - v[j]) * (xi[j] - v[j]);
                }
                norm = Math.sqrt(norm);
                double scale = Math.min(1, tau / norm);
                for (int j = 0; j < v.length; j++) {
                    next[j] += scale * (xi[j] - v[j]) / x.length;
                }
            }
            v = next;
        }
        return v;
    }

    private static List<Double> column(double[][] x, int j) {
        List<Double> c = new ArrayList<>();
        for (double[] v : x) {
            c.add(v[j]);
        }
        Collections.sort(c);
        return c;
    }

    // ---- inputs ----

    private double[][] vectors(int n, int d) {
        double[][] x = new double[n][d];
        for (double[] v : x) {
            for (int j = 0; j < d; j++) {
                v[j] = rnd.nextGaussian();
            }
        }
        return x;
    }

    private double[] weights(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1 + rnd.nextInt(50);
        }
        return w;
    }

    private int[] permutation(int n) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new java.util.Random(rnd.nextLong()));
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int j = 0; j < actual.length; j++) {
            double scale = Math.max(1, Math.abs(expected[j]));
            assertThat(actual[j]).isCloseTo(expected[j], within(1e-12 * scale));
        }
    }
}
