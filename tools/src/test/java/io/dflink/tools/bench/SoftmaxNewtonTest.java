package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.clients.SoftmaxProblem;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The LT-ADMM benchmark's reference optimum is a true minimiser, to machine precision. */
class SoftmaxNewtonTest {

    @Test
    void shouldFindTheMinimiserOfTheAverageObjectiveByNewton() {
        Digits.Split split = Digits.split(Digits.load(), 0.2, 2);
        List<SoftmaxProblem> agents = new ArrayList<>();
        for (LocalDataset d : Digits.shards(split.train(), 3, Digits.Sharding.LABEL_SKEW, 2)) {
            agents.add(
                    new SoftmaxProblem(
                            new LocalDataset(
                                    Arrays.copyOf(d.features(), 60),
                                    Arrays.copyOf(d.targets(), 60)),
                            Digits.CLASSES,
                            0.05));
        }
        SoftmaxNewton.Optimum opt = SoftmaxNewton.solve(agents, Digits.CLASSES, 0.05);
        assertThat(opt.gradientNorm()).isLessThan(1e-12);
        assertThat(opt.iterations()).isLessThan(20);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 5; trial++) {
            double[] w = opt.w().clone();
            for (int k = 0; k < w.length; k++) {
                w[k] += 1e-3 * rnd.nextGaussian();
            }
            assertThat(SoftmaxNewton.objective(agents, w)).isGreaterThan(opt.objective());
        }
    }

    @Test
    void shouldSolveSymmetricPositiveDefiniteSystemsByConjugateGradient() {
        double[][] h = {{4, 1, 0}, {1, 3, 1}, {0, 1, 2}};
        double[] x = SoftmaxNewton.conjugateGradient(h, new double[] {1, 2, 3});
        double[] back = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                back[i] += h[i][j] * x[j];
            }
        }
        assertThat(back).containsExactly(new double[] {1, 2, 3}, within(1e-12));
    }
}
