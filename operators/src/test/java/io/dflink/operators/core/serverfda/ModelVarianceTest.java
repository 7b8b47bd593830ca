package io.dflink.operators.core.serverfda;

import io.dflink.operators.core.math.Vec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The variance estimate from exact summaries and from AMS sketches. */
class ModelVarianceTest {

    @Test
    void shouldBeExactWhenTheModelIsNoLargerThanTheSketch() {
        ServerFdaParams p = new ServerFdaParams(ServerSync.VARIANCE, 1, 0, 0, 5, 50, 1);
        List<double[]> models = models(6, 200, 0.3, 1);
        ModelVariance v = new ModelVariance(p, 200);

        assertThat(p.sketches(200)).isFalse();
        assertThat(v.estimate(summaries(v, models)))
                .isCloseTo(ServerFdaTest.variance(models), within(1e-12));
    }

    @Test
    void shouldEstimateTheVarianceOfLargeModelsFromTheirSketchesWithinTheSketchsAccuracy() {
        ServerFdaParams p = new ServerFdaParams(ServerSync.VARIANCE, 1, 0, 0, 5, 50, 1);
        int trials = 40;
        double sumRatio = 0;
        for (int t = 0; t < trials; t++) {
            // large common part, small spread: the case that breaks mean|w|^2 - |mean w|^2
            List<double[]> models = models(8, 5000, 1e-3, 100 + t);
            ModelVariance v = new ModelVariance(p, 5000);
            double ratio = v.estimate(summaries(v, models)) / ServerFdaTest.variance(models);
            assertThat(ratio).as("trial %d", t).isBetween(0.5, 1.5);
            sumRatio += ratio;
        }
        assertThat(sumRatio / trials).as("nearly unbiased").isBetween(0.85, 1.1);
        assertThat(p.summaryLength(5000)).isEqualTo(251);
    }

    @Test
    void shouldFindTheOldestLastConsensus() {
        Map<String, double[]> s = new TreeMap<>();
        s.put("a", new double[] {7, 0});
        s.put("b", new double[] {-1, 0});
        assertThat(ModelVariance.oldestSync(s)).isEqualTo(-1);
    }

    private static Map<String, double[]> summaries(ModelVariance v, List<double[]> models) {
        Map<String, double[]> out = new TreeMap<>();
        for (int i = 0; i < models.size(); i++) {
            out.put("s" + i, v.summary(models.get(i), 3));
        }
        return out;
    }

    private static List<double[]> models(int m, int dim, double spread, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] common = new double[dim];
        for (int k = 0; k < dim; k++) {
            common[k] = 10 * rnd.nextGaussian();
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            double[] w = common.clone();
            for (int k = 0; k < dim; k++) {
                w[k] += spread * rnd.nextGaussian();
            }
            out.add(w);
        }
        assertThat(Vec.norm(common)).isGreaterThan(100);
        return out;
    }
}
