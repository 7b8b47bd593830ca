package io.dflink.operators.core.robust;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Bounded influence against a plain reference on random rounds with planted outliers (to 1e-12):
 * weights above the ratio times the median are lowered to it, vectors beyond the ratio times the
 * median distance are clipped to that radius along their own direction or refused; a round where
 * nothing crosses a bound comes back as the very same arrays, so a clean run is bit for bit the
 * unbounded one; rounds of fewer than three updates, or whose majority sits on the centre, are left
 * alone.
 */
class BoundedTest {

    private final SplittableRandom rnd = new SplittableRandom(17);

    @Test
    void shouldMatchThePlainReferenceOnRandomRoundsWithOutliers() {
        for (int trial = 0; trial < 40; trial++) {
            int n = 3 + rnd.nextInt(12);
            int d = 1 + rnd.nextInt(8);
            double[] centre = random(d, 1);
            double[] w = new double[n];
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                boolean outlier = rnd.nextInt(4) == 0;
                w[i] = (1 + rnd.nextInt(30)) * (outlier ? 1_000 : 1);
                x[i] = random(d, outlier ? 500 : 1);
            }
            double ratio = 1 + 9 * rnd.nextDouble();
            Bounded b =
                    Bounded.apply(
                            new InfluenceBound(ratio, ratio, InfluenceBound.Action.CLIP),
                            w,
                            x,
                            centre);
            double cap = ratio * referenceMedian(w.clone());
            double[] dist = new double[n];
            for (int i = 0; i < n; i++) {
                dist[i] = distance(x[i], centre);
            }
            double radius = ratio * referenceMedian(dist.clone());
            for (int i = 0; i < n; i++) {
                assertThat(b.weights()[i]).isEqualTo(Math.min(w[i], cap));
                assertThat(b.weightBounded()[i]).isEqualTo(w[i] > cap);
                assertThat(b.clipped()[i]).isEqualTo(dist[i] > radius);
                assertThat(b.refused()[i]).isFalse();
                for (int j = 0; j < d; j++) {
                    double expected =
                            dist[i] > radius
                                    ? centre[j] + (x[i][j] - centre[j]) * radius / dist[i]
                                    : x[i][j];
                    assertThat(b.vectors()[i][j])
                            .isCloseTo(expected, within(1e-12 * (1 + Math.abs(expected))));
                }
                assertThat(distance(b.vectors()[i], centre))
                        .isLessThanOrEqualTo(radius * (1 + 1e-12));
            }
        }
    }

    @Test
    void shouldRefuseInsteadOfClippingWhenAskedAndKeepTheRestInOrder() {
        double[] centre = {0, 0};
        double[][] x = {{1, 0}, {0, 1}, {100, 100}, {-1, 0}, {0, -2}};
        double[] w = {1, 2, 3, 4, 5};
        Bounded b =
                Bounded.apply(
                        new InfluenceBound(0, 10, InfluenceBound.Action.REFUSE), w, x, centre);
        assertThat(b.refused()).containsExactly(false, false, true, false, false);
        assertThat(b.clipped()).containsOnly(false);
        Bounded kept = b.kept();
        assertThat(kept.weights()).containsExactly(1, 2, 4, 5);
        assertThat(kept.vectors()).isEqualTo(new double[][] {x[0], x[1], x[3], x[4]});
    }

    @Test
    void shouldReturnTheSameArraysWhenNothingCrossesABound() {
        for (int trial = 0; trial < 20; trial++) {
            int n = 3 + rnd.nextInt(10);
            double[] w = new double[n];
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                w[i] = 10 + rnd.nextInt(20);
                x[i] = random(4, 1);
                x[i][0] += 3; // all about as far from the centre
            }
            Bounded b = Bounded.apply(InfluenceBound.defaults(), w, x, new double[4]);
            assertThat(b.weights()).isSameAs(w);
            assertThat(b.vectors()).isSameAs(x);
            assertThat(b.touchedAny()).isFalse();
            assertThat(b.kept()).isSameAs(b);
        }
    }

    @Test
    void shouldLeaveRoundsWithoutAMajorityToCompareWithAlone() {
        double[] centre = {0, 0};
        double[][] two = {{1, 1}, {1e9, 1e9}};
        Bounded b = Bounded.apply(InfluenceBound.defaults(), new double[] {1, 1e9}, two, centre);
        assertThat(b.touchedAny()).isFalse();
        double[][] idle = {{0, 0}, {0, 0}, {5, 5}};
        assertThat(
                        Bounded.apply(
                                        InfluenceBound.defaults(),
                                        new double[] {1, 1, 1},
                                        idle,
                                        centre)
                                .touchedAny())
                .as("a majority on the centre gives no scale")
                .isFalse();
        assertThat(
                        Bounded.apply(
                                        InfluenceBound.none(),
                                        new double[] {1, 1, 1e9},
                                        new double[][] {{1, 1}, {1, 1}, {1e9, 1}},
                                        centre)
                                .touchedAny())
                .isFalse();
    }

    @Test
    void shouldRefuseRatiosBelowOneThatAreNotOff() {
        assertThatThrownBy(() -> new InfluenceBound(0.5, 10, InfluenceBound.Action.CLIP))
                .hasMessageContaining("max-weight-ratio");
        assertThatThrownBy(() -> new InfluenceBound(10, -1, InfluenceBound.Action.CLIP))
                .hasMessageContaining("max-distance-ratio");
    }

    private static double referenceMedian(double[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return Math.sqrt(s);
    }

    private double[] random(int d, double scale) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = scale * (rnd.nextDouble() * 2 - 1);
        }
        return v;
    }
}
