package io.dflink.operators.core.math;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * The blocked weighted sum is the axpy loop's result bit for bit, at any length; the four-lane
 * reductions agree with a plain running sum to rounding, lane by lane exactly.
 */
class VecTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1023, 1024, 1025, 5000, 100_003})
    void shouldEqualZerosPlusOneAxpyPerVectorBitForBitInTheWeightedSum(int n) {
        SplittableRandom rnd = new SplittableRandom(n);
        int k = 1 + rnd.nextInt(6);
        double[] w = new double[k];
        double[][] x = new double[k][n];
        double[] expected = Vec.zeros(n);
        for (int j = 0; j < k; j++) {
            w[j] = rnd.nextGaussian();
            for (int i = 0; i < n; i++) {
                x[j][i] = rnd.nextGaussian() * Math.exp(rnd.nextGaussian() * 5);
            }
            Vec.axpy(w[j], x[j], expected);
        }
        assertThat(Vec.weightedSum(w, x)).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void shouldRefuseMismatchedInputsInTheWeightedSum(int which) {
        double[][] x = {new double[3], new double[which == 0 ? 4 : 3]};
        double[] w = which == 0 ? new double[] {1, 1} : new double[] {1};
        assertThat(catchThrowable(() -> Vec.weightedSum(w, x)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 4, 5, 7, 1024, 100_003})
    void shouldSumTheLanesOfFourLaneReductionsInTheirOrder(int n) {
        SplittableRandom rnd = new SplittableRandom(31 + n);
        double[] u = gaussian(rnd, n);
        double[] x = gaussian(rnd, n);
        double[] y = gaussian(rnd, n);
        double[] sq = new double[4];
        double[] dot = new double[4];
        for (int i = 0; i < n; i++) {
            int lane = i < n - n % 4 ? i % 4 : 0;
            double d = x[i] - y[i];
            sq[lane] += d * d;
            dot[lane] += u[i] * d;
        }
        double squared = (sq[0] + sq[1]) + (sq[2] + sq[3]);
        assertThat(Vec.squaredDistance(x, y)).isEqualTo(squared);
        assertThat(Vec.squaredDistanceAndDot(u, x, y))
                .containsExactly(squared, (dot[0] + dot[1]) + (dot[2] + dot[3]));

        double plain = 0;
        for (int i = 0; i < n; i++) {
            plain += (x[i] - y[i]) * (x[i] - y[i]);
        }
        assertThat(squared).isCloseTo(plain, within(1e-12 * Math.max(1, plain)));
        assertThat(Vec.squaredDistance(x, x)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void shouldRefuseMismatchedLengthsInReductions(int which) {
        double[] u = new double[which == 0 ? 4 : 5];
        double[] x = new double[5];
        double[] y = new double[which == 1 ? 4 : 5];
        assertThat(catchThrowable(() -> Vec.squaredDistanceAndDot(u, x, y)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(catchThrowable(() -> Vec.squaredDistance(u, y)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double[] gaussian(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }
}
