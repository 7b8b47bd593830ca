package io.dflink.clients;

import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraVariant;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Local LoRA training: exact gradients, frozen factors untouched, B-first schedule needed. */
class LoraLinearTrainerTest {

    private static final int CLASSES = 3;
    private static final int FEATURES = 4;
    private static final int RANK = 2;

    @Test
    void shouldMatchFiniteDifferencesOfTheLossWithTheGradients() {
        LocalDataset data = data(12, 1);
        double[] base = random(CLASSES * FEATURES, 2, 0.5);
        LoraFactors f =
                new LoraFactors(
                        CLASSES,
                        FEATURES,
                        RANK,
                        random(CLASSES * RANK, 3, 1),
                        random(RANK * FEATURES, 4, 1));
        LoraLinearTrainer t = LoraLinearTrainer.softmax(data, base, CLASSES, 12, 1, 0.01, 5);
        double[] gb = new double[f.b.length];
        double[] ga = new double[f.a.length];
        t.gradients(f, 2, gb, ga);
        double eps = 1e-6;
        for (int k = 0; k < f.b.length; k++) {
            assertThat(gb[k]).isCloseTo(numeric(data, base, f, true, k, eps), within(1e-7));
        }
        for (int k = 0; k < f.a.length; k++) {
            assertThat(ga[k]).isCloseTo(numeric(data, base, f, false, k, eps), within(1e-7));
        }
    }

    @Test
    void shouldMoveOnlyTheActiveFactorAndMakeAFirstANoOp() {
        LocalDataset data = data(40, 6);
        double[] base = random(CLASSES * FEATURES, 7, 0.5);
        LoraFactors f = LoraFactors.initial(CLASSES, FEATURES, RANK, 8);
        LoraLinearTrainer t = LoraLinearTrainer.softmax(data, base, CLASSES, 8, 5, 0.05, 9);
        double[] a = f.a.clone();
        t.train(f, 2, LoraVariant.Factor.A);
        assertThat(f.a).as("with B = 0 the gradient in A is zero").containsExactly(a);
        t.train(f, 2, LoraVariant.Factor.B);
        assertThat(f.a).as("frozen A is bit-identical").containsExactly(a);
        assertThat(f.b).as("B moved").isNotEqualTo(new double[f.b.length]);
        double[] b = f.b.clone();
        t.train(f, 2, LoraVariant.Factor.A);
        assertThat(f.b).as("frozen B is bit-identical").containsExactly(b);
        assertThat(f.a).isNotEqualTo(a);
    }

    @Test
    void shouldMatchFiniteDifferencesWithLeastSquaresGradients() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 10;
        double[][] x = new double[n][FEATURES];
        double[][] y = new double[n][CLASSES];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < FEATURES; k++) {
                x[i][k] = rnd.nextGaussian();
            }
            for (int c = 0; c < CLASSES; c++) {
                y[i][c] = rnd.nextGaussian();
            }
        }
        double[] base = random(CLASSES * FEATURES, 12, 0.5);
        LoraFactors f =
                new LoraFactors(
                        CLASSES,
                        FEATURES,
                        RANK,
                        random(CLASSES * RANK, 13, 1),
                        random(RANK * FEATURES, 14, 1));
        LoraLinearTrainer t = LoraLinearTrainer.leastSquares(x, y, base, n, 1, 0.01, 15);
        assertThat(t.sampleCount()).isEqualTo(n);
        double[] gb = new double[f.b.length];
        double[] ga = new double[f.a.length];
        t.gradients(f, 0.5, gb, ga);
        double eps = 1e-6;
        for (int k = 0; k < gb.length + ga.length; k++) {
            double[] v = k < gb.length ? f.b : f.a;
            int at = k < gb.length ? k : k - gb.length;
            double keep = v[at];
            v[at] = keep + eps;
            double up = squaredLoss(x, y, LoraLinearTrainer.weights(base, f, 0.5));
            v[at] = keep - eps;
            double down = squaredLoss(x, y, LoraLinearTrainer.weights(base, f, 0.5));
            v[at] = keep;
            double analytic = k < gb.length ? gb[at] : ga[at];
            assertThat(analytic).isCloseTo((up - down) / (2 * eps), within(1e-6));
        }
    }

    /** The mean of 1/2 ||W x - y||^2. */
    private static double squaredLoss(double[][] x, double[][] y, double[] w) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < CLASSES; c++) {
                double o = -y[i][c];
                for (int k = 0; k < FEATURES; k++) {
                    o += w[c * FEATURES + k] * x[i][k];
                }
                sum += 0.5 * o * o;
            }
        }
        return sum / x.length;
    }

    private static double numeric(
            LocalDataset data, double[] base, LoraFactors f, boolean factorB, int k, double eps) {
        double[] x = factorB ? f.b : f.a;
        double keep = x[k];
        x[k] = keep + eps;
        double up =
                SoftmaxRegressionTrainer.loss(LoraLinearTrainer.weights(base, f, 2), data, CLASSES);
        x[k] = keep - eps;
        double down =
                SoftmaxRegressionTrainer.loss(LoraLinearTrainer.weights(base, f, 2), data, CLASSES);
        x[k] = keep;
        return (up - down) / (2 * eps);
    }

    private static LocalDataset data(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[n][FEATURES];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < FEATURES - 1; k++) {
                x[i][k] = rnd.nextDouble();
            }
            x[i][FEATURES - 1] = 1;
            y[i] = rnd.nextInt(CLASSES);
        }
        return new LocalDataset(x, y);
    }

    private static double[] random(int n, long seed, double scale) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * rnd.nextGaussian();
        }
        return v;
    }
}
