package io.dflink.operators.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The blocked weighted sum is the axpy loop's result bit for bit, at any length. */
class VecTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1023, 1024, 1025, 5000, 100_003})
    void weightedSumEqualsZerosPlusOneAxpyPerVectorBitForBit(int n) {
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
    void weightedSumRefusesMismatchedInputs(int which) {
        double[][] x = {new double[3], new double[which == 0 ? 4 : 3]};
        double[] w = which == 0 ? new double[] {1, 1} : new double[] {1};
        assertThat(catchThrowable(() -> Vec.weightedSum(w, x)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
