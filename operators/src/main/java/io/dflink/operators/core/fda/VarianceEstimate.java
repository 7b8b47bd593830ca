package io.dflink.operators.core.fda;

import java.util.Collection;
import java.util.List;

/**
 * The server's side of FDA (docs/algorithms.md §3b step 3): the estimate H of the clients' model
 * variance from their monitoring states, and the exact variance it bounds (for tests and reports).
 * Every estimator is an upper bound of the variance: Naive >= Linear >= Var always; Sketch with
 * high probability.
 */
public final class VarianceEstimate {

    private VarianceEstimate() {}

    /**
     * H over the reports, summed in the given order (the caller sorts by client id so that the
     * result does not depend on arrival order).
     */
    public static double estimate(FdaParams params, Collection<FdaReport> reports) {
        int k = reports.size();
        double meanSq = 0;
        for (FdaReport r : reports) {
            meanSq += r.sqNorm;
        }
        meanSq /= k;
        switch (params.variant()) {
            case NAIVE:
                return meanSq;
            case LINEAR:
                double meanProjection = 0;
                for (FdaReport r : reports) {
                    meanProjection += r.projection;
                }
                meanProjection /= k;
                return meanSq - meanProjection * meanProjection;
            case SKETCH:
                double[] mean = new double[params.sketchDepth() * params.sketchWidth()];
                for (FdaReport r : reports) {
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += r.sketch[i];
                    }
                }
                for (int i = 0; i < mean.length; i++) {
                    mean[i] /= k;
                }
                double eps = 1 / Math.sqrt(params.sketchWidth());
                return meanSq
                        - AmsSketch.m2(mean, params.sketchDepth(), params.sketchWidth())
                                / (1 + eps);
            default:
                throw new IllegalArgumentException(
                        params.variant() + " does not estimate the variance");
        }
    }

    /** Var = (1/K) sum ||w_i - wbar||^2, computed directly. */
    public static double variance(List<double[]> models) {
        int dim = models.get(0).length;
        double[] mean = new double[dim];
        for (double[] w : models) {
            for (int i = 0; i < dim; i++) {
                mean[i] += w[i] / models.size();
            }
        }
        double sum = 0;
        for (double[] w : models) {
            for (int i = 0; i < dim; i++) {
                double d = w[i] - mean[i];
                sum += d * d;
            }
        }
        return sum / models.size();
    }
}
