package io.dflink.operators.core.fda;

import io.dflink.operators.core.math.Vec;

/**
 * The client's side of FDA (docs/algorithms.md §3b steps 1-2): from its local model w_i and the
 * last two synchronised models w_t0, w_tm1 (all of which it received from its server), the
 * monitoring state the variant sends: ||Delta_i||^2 with Delta_i = w_i - w_t0, and <xi, Delta_i>
 * (Linear) or sk(Delta_i) (Sketch). xi = (w_t0 - w_tm1)/||w_t0 - w_tm1||; without a previous model,
 * or when the two are equal, xi is the seeded random direction sign_0(k)/sqrt(d) of the sketch
 * hashes (never NaN, the same at every client of the server).
 */
public final class DriftMonitor {

    private final FdaParams params;
    private final AmsSketch sketch;

    public DriftMonitor(FdaParams params, int dim) {
        this.params = params;
        this.sketch = new AmsSketch(params.seed(), params.sketchDepth(), params.sketchWidth(), dim);
    }

    public FdaParams params() {
        return params;
    }

    /** The unit drift direction xi for the drift base {@code base}. */
    public double[] direction(double[] base, double[] previousBase) {
        double[] xi = new double[base.length];
        double norm = 0;
        if (previousBase != null) {
            for (int k = 0; k < xi.length; k++) {
                xi[k] = base[k] - previousBase[k];
                norm += xi[k] * xi[k];
            }
        }
        if (norm == 0) {
            double unit = 1 / Math.sqrt(base.length);
            for (int k = 0; k < xi.length; k++) {
                xi[k] = sketch.sign0(k) * unit;
            }
            return xi;
        }
        double inv = 1 / Math.sqrt(norm);
        for (int k = 0; k < xi.length; k++) {
            xi[k] *= inv;
        }
        return xi;
    }

    /**
     * The state after a local step: {@code xi} is only read by Linear FDA (may be null else). Only
     * the sketch needs the drift as a vector; the other variants read the three vectors once.
     */
    public FdaReport state(double[] local, double[] base, double[] xi) {
        switch (params.variant()) {
            case LINEAR:
                double[] moments = Vec.squaredDistanceAndDot(xi, local, base);
                return new FdaReport(moments[0], moments[1], new double[0]);
            case SKETCH:
                double[] drift = new double[local.length];
                for (int k = 0; k < drift.length; k++) {
                    drift[k] = local[k] - base[k];
                }
                // the same four-lane sum as the other variants, so every variant reports the
                // same sqNorm bits; reading the vectors twice is small next to the sketch
                return new FdaReport(
                        Vec.squaredDistance(local, base), Double.NaN, sketch.sketch(drift));
            default:
                return new FdaReport(Vec.squaredDistance(local, base), Double.NaN, new double[0]);
        }
    }
}
