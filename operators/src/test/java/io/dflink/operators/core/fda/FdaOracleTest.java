package io.dflink.operators.core.fda;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The test oracles of docs/algorithms.md §3f that need no server: estimators, sketch, direction.
 */
class FdaOracleTest {

    private static final int DIM = 40;

    @Test
    void shouldHoldTheVarianceIdentityToFloatError() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int trial = 0; trial < 100; trial++) {
            double[] base = gaussian(rnd, DIM, 3);
            List<double[]> models = models(rnd, base, 2 + rnd.nextInt(9));
            double meanSq = 0;
            double[] meanDrift = new double[DIM];
            for (double[] w : models) {
                for (int k = 0; k < DIM; k++) {
                    double d = w[k] - base[k];
                    meanSq += d * d / models.size();
                    meanDrift[k] += d / models.size();
                }
            }
            double identity = meanSq - dot(meanDrift, meanDrift);
            assertThat(identity)
                    .isCloseTo(VarianceEstimate.variance(models), within(1e-12 * meanSq));
        }
    }

    @Test
    void shouldBoundLinearByNaiveAndTheVarianceByLinearForEveryState() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int trial = 0; trial < 500; trial++) {
            double[] base = gaussian(rnd, DIM, 1);
            double[] previous = gaussian(rnd, DIM, 1);
            List<double[]> models = models(rnd, base, 1 + rnd.nextInt(10));
            double var = VarianceEstimate.variance(models);
            double naive = estimate(FdaVariant.NAIVE, models, base, previous);
            double linear = estimate(FdaVariant.LINEAR, models, base, previous);
            assertThat(naive).isGreaterThanOrEqualTo(linear - 1e-12);
            assertThat(linear).isGreaterThanOrEqualTo(var - 1e-12);
        }
    }

    @Test
    void shouldEqualTheVarianceWhenXiIsParallelToTheMeanDriftAndNaiveWhenOrthogonal() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] base = gaussian(rnd, DIM, 1);
        List<double[]> models = models(rnd, base, 6);
        double[] meanDrift = new double[DIM];
        for (double[] w : models) {
            for (int k = 0; k < DIM; k++) {
                meanDrift[k] += (w[k] - base[k]) / models.size();
            }
        }
        // previous base chosen so that xi = (base - previous)/|.| is parallel to the mean drift
        double[] parallel = new double[DIM];
        for (int k = 0; k < DIM; k++) {
            parallel[k] = base[k] - 0.5 * meanDrift[k];
        }
        assertThat(estimate(FdaVariant.LINEAR, models, base, parallel))
                .isCloseTo(VarianceEstimate.variance(models), within(1e-12));

        double[] orthogonal = gaussian(rnd, DIM, 1);
        double along = dot(orthogonal, meanDrift) / dot(meanDrift, meanDrift);
        double[] previous = new double[DIM];
        for (int k = 0; k < DIM; k++) {
            orthogonal[k] -= along * meanDrift[k];
            previous[k] = base[k] - orthogonal[k];
        }
        assertThat(estimate(FdaVariant.LINEAR, models, base, previous))
                .isCloseTo(estimate(FdaVariant.NAIVE, models, base, previous), within(1e-12));
    }

    @Test
    void shouldGiveNoVarianceForOneClientOrEqualClients() {
        SplittableRandom rnd = new SplittableRandom(4);
        double[] base = gaussian(rnd, DIM, 1);
        double[] w = gaussian(rnd, DIM, 1);
        assertThat(VarianceEstimate.variance(List.of(w))).isZero();
        assertThat(VarianceEstimate.variance(List.of(w, w.clone(), w.clone())))
                .isCloseTo(0, within(1e-15));
        // Linear with the drift itself as direction is exact, so it too sees no variance
        double[] previous = new double[DIM];
        for (int k = 0; k < DIM; k++) {
            previous[k] = base[k] - (w[k] - base[k]);
        }
        assertThat(estimate(FdaVariant.LINEAR, List.of(w, w.clone()), base, previous))
                .isCloseTo(0, within(1e-12));
    }

    @Test
    void shouldResetEveryDriftAtASyncSoEveryEstimateIsZero() {
        SplittableRandom rnd = new SplittableRandom(5);
        double[] synced = gaussian(rnd, DIM, 1);
        List<double[]> atBase = List.of(synced.clone(), synced.clone(), synced.clone());
        for (FdaVariant v : List.of(FdaVariant.NAIVE, FdaVariant.LINEAR, FdaVariant.SKETCH)) {
            assertThat(estimate(v, atBase, synced, gaussian(rnd, DIM, 1))).as(v.name()).isZero();
        }
    }

    @Test
    void shouldTakeAUnitDirectionFromTheLastTwoBasesAndASeededRandomOneWithoutThem() {
        DriftMonitor m = new DriftMonitor(FdaParams.of(FdaVariant.LINEAR, 1, 10, 1, 7), DIM);
        SplittableRandom rnd = new SplittableRandom(6);
        double[] base = gaussian(rnd, DIM, 1);
        double[] previous = gaussian(rnd, DIM, 1);
        double[] xi = m.direction(base, previous);
        assertThat(dot(xi, xi)).isCloseTo(1, within(1e-12));
        double[] diff = new double[DIM];
        for (int k = 0; k < DIM; k++) {
            diff[k] = base[k] - previous[k];
        }
        assertThat(dot(xi, diff)).isCloseTo(Math.sqrt(dot(diff, diff)), within(1e-12));

        double[] first = m.direction(base, null);
        assertThat(dot(first, first)).isCloseTo(1, within(1e-12));
        assertThat(java.util.Arrays.stream(first).noneMatch(Double::isNaN)).isTrue();
        assertThat(m.direction(base, base)).as("no movement: no NaN").containsExactly(first);
        DriftMonitor sameSeed = new DriftMonitor(FdaParams.of(FdaVariant.LINEAR, 1, 10, 1, 7), DIM);
        DriftMonitor otherSeed =
                new DriftMonitor(FdaParams.of(FdaVariant.LINEAR, 1, 10, 1, 8), DIM);
        assertThat(sameSeed.direction(base, null)).containsExactly(first);
        assertThat(otherSeed.direction(base, null)).isNotEqualTo(first);
    }

    @Test
    void hash31MatchesTheAuthorsInt32Arithmetic() {
        // values computed with Python integers wrapped to int32, as numpy does
        assertThat(AmsSketch.hash31(7, 123456789, 987654321)).isEqualTo(1851851844);
        assertThat(AmsSketch.hash31(65000, 2147483000, 5)).isEqualTo(42119994);
        assertThat(AmsSketch.hash31(0, 1, 2147483646)).isEqualTo(2147483646);
    }

    @Test
    void shouldSketchLinearly() {
        SplittableRandom rnd = new SplittableRandom(7);
        AmsSketch sk = new AmsSketch(11, 5, 250, 5000);
        double[] u = gaussian(rnd, 5000, 1);
        double[] v = gaussian(rnd, 5000, 1);
        double[] sum = new double[5000];
        double[] scaled = new double[5000];
        for (int k = 0; k < 5000; k++) {
            sum[k] = u[k] + v[k];
            scaled[k] = -2.5 * u[k];
        }
        double[] su = sk.sketch(u);
        double[] sv = sk.sketch(v);
        double[] ssum = sk.sketch(sum);
        double[] sscaled = sk.sketch(scaled);
        for (int i = 0; i < su.length; i++) {
            assertThat(ssum[i]).isCloseTo(su[i] + sv[i], within(1e-12));
            assertThat(sscaled[i]).isCloseTo(-2.5 * su[i], within(1e-12));
        }
    }

    @Test
    void shouldEstimateTheSquaredNormWithTheAuthorsAccuracyBySketch() {
        int d = 61_706;
        AmsSketch sk = new AmsSketch(42, 5, 250, d);
        SplittableRandom rnd = new SplittableRandom(8);
        double sum = 0;
        double max = 0;
        int trials = 50;
        for (int t = 0; t < trials; t++) {
            double[] v = gaussian(rnd, d, 1);
            double rel = AmsSketch.m2(sk.sketch(v), 5, 250) / dot(v, v) - 1;
            sum += rel;
            max = Math.max(max, Math.abs(rel));
        }
        assertThat(max).as("max |relative error|").isLessThan(0.25);
        assertThat(sum / trials).as("mean relative error (unbiased)").isBetween(-0.04, 0.04);
    }

    @Test
    void shouldBoundTheVarianceWithHighProbabilityByTheSketchEstimate() {
        SplittableRandom rnd = new SplittableRandom(9);
        int d = 2000;
        double[] base = gaussian(rnd, d, 1);
        int bounded = 0;
        for (int trial = 0; trial < 200; trial++) {
            List<double[]> models = models(rnd, base, 8);
            double sketch = estimate(FdaVariant.SKETCH, models, base, null);
            bounded += sketch >= VarianceEstimate.variance(models) ? 1 : 0;
        }
        // M2 overshoots (1 + 1/sqrt(W)) ||mean drift||^2 in 3 of 5 rows with probability ~0.1
        assertThat(bounded).as("trials where H >= Var").isGreaterThanOrEqualTo(170);
    }

    /** H of {@code variant} from the states the clients would send. */
    private static double estimate(
            FdaVariant variant, List<double[]> models, double[] base, double[] previous) {
        FdaParams p = FdaParams.of(variant, 1, 10, 1, 3);
        DriftMonitor monitor = new DriftMonitor(p, base.length);
        double[] xi = monitor.direction(base, previous);
        List<FdaReport> reports = new ArrayList<>();
        for (double[] w : models) {
            reports.add(monitor.state(w, base, xi));
        }
        return VarianceEstimate.estimate(p, reports);
    }

    private static List<double[]> models(SplittableRandom rnd, double[] base, int k) {
        double[] shared = gaussian(rnd, base.length, 0.5);
        List<double[]> models = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            double[] w = gaussian(rnd, base.length, 0.2 + rnd.nextDouble());
            for (int j = 0; j < w.length; j++) {
                w[j] += base[j] + shared[j];
            }
            models.add(w);
        }
        return models;
    }

    private static double[] gaussian(SplittableRandom rnd, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * rnd.nextGaussian();
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
