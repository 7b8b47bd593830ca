package io.dflink.operators.core.serverfda;

import io.dflink.operators.core.fda.AmsSketch;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The servers' model variance H = (1/M) Σ_i ‖w_i − w̄‖² from one summary per server (docs: README
 * "Server-tier FDA"). A model no larger than the sketch is its own summary and H is exact. A larger
 * one is summarised by its AMS sketch S_i (linear, so S̄ is the sketch of w̄): row r of the
 * sketches gives R_r = (1/M) Σ_i ‖S_i,r − S̄_r‖², an unbiased estimate of H over the hash functions
 * (a count sketch preserves squared norms in expectation), and H is their median over the rows,
 * which trades a slight downward bias for robustness to one bad row. The differences are taken in
 * the sketch's coordinates before squaring, so no cancellation of large norms. Summaries are summed
 * in server-id order: every server computes the same H bit for bit.
 */
public final class ModelVariance {

    private final ServerFdaParams params;
    private final int dim;
    private transient AmsSketch sketch;

    public ModelVariance(ServerFdaParams params, int dim) {
        this.params = params;
        this.dim = dim;
    }

    /** A server's summary: its last consensus round, then its model or the model's sketch. */
    public double[] summary(double[] model, long lastSync) {
        double[] values = params.sketches(dim) ? sketch().sketch(model) : model;
        double[] out = new double[1 + values.length];
        out[0] = lastSync;
        System.arraycopy(values, 0, out, 1, values.length);
        return out;
    }

    /** H from the summaries of every server of a component, by server id. */
    public double estimate(Map<String, double[]> summaries) {
        double[][] x = new TreeMap<>(summaries).values().toArray(new double[0][]);
        int m = x.length;
        int n = x[0].length - 1;
        double[] mean = new double[n];
        for (double[] v : x) {
            for (int k = 0; k < n; k++) {
                mean[k] += v[k + 1];
            }
        }
        for (int k = 0; k < n; k++) {
            mean[k] /= m;
        }
        int rows = params.sketches(dim) ? params.sketchDepth() : 1;
        int width = n / rows;
        double[] perRow = new double[rows];
        for (double[] v : x) {
            for (int k = 0; k < n; k++) {
                double d = v[k + 1] - mean[k];
                perRow[k / width] += d * d;
            }
        }
        for (int r = 0; r < rows; r++) {
            perRow[r] /= m;
        }
        Arrays.sort(perRow);
        int mid = rows / 2;
        return rows % 2 == 1 ? perRow[mid] : (perRow[mid - 1] + perRow[mid]) / 2;
    }

    /** The oldest last-consensus round among the summaries (-1: some server never had one). */
    public static long oldestSync(Map<String, double[]> summaries) {
        long oldest = Long.MAX_VALUE;
        for (double[] v : summaries.values()) {
            oldest = Math.min(oldest, (long) v[0]);
        }
        return oldest;
    }

    private AmsSketch sketch() {
        if (sketch == null) {
            sketch = new AmsSketch(params.seed(), params.sketchDepth(), params.sketchWidth(), dim);
        }
        return sketch;
    }
}
