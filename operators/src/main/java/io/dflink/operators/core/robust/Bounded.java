package io.dflink.operators.core.robust;

import io.dflink.operators.core.math.Vec;

import java.util.Arrays;

/**
 * A round's updates after {@link InfluenceBound}: the weights and vectors to aggregate (the inputs'
 * own arrays where nothing changed), and per update whether its weight was lowered, its vector
 * clipped, or the update refused (then it must be left out of the aggregate).
 */
public record Bounded(
        double[] weights,
        double[][] vectors,
        boolean[] weightBounded,
        boolean[] clipped,
        boolean[] refused) {

    /**
     * Applies {@code bound} to {@code vectors[i]} with weight {@code weights[i]}; distances are
     * measured from {@code centre} (the model the devices started from; zeros for gradients).
     */
    public static Bounded apply(
            InfluenceBound bound, double[] weights, double[][] vectors, double[] centre) {
        int n = vectors.length;
        Bounded b = new Bounded(weights, vectors, new boolean[n], new boolean[n], new boolean[n]);
        if (n < InfluenceBound.MIN_UPDATES) {
            return b;
        }
        double[] w = boundWeights(bound.weightRatio(), weights, b.weightBounded);
        double[][] x = boundDistances(bound, vectors, centre, b.clipped, b.refused);
        return new Bounded(w, x, b.weightBounded, b.clipped, b.refused);
    }

    /** Whether any update was changed or refused. */
    public boolean touchedAny() {
        for (int i = 0; i < refused.length; i++) {
            if (weightBounded[i] || clipped[i] || refused[i]) {
                return true;
            }
        }
        return false;
    }

    /** The weights and vectors of the updates not refused, in their order. */
    public Bounded kept() {
        int n = 0;
        for (boolean r : refused) {
            n += r ? 0 : 1;
        }
        if (n == refused.length) {
            return this;
        }
        double[] w = new double[n];
        double[][] x = new double[n][];
        int k = 0;
        for (int i = 0; i < refused.length; i++) {
            if (!refused[i]) {
                w[k] = weights[i];
                x[k++] = vectors[i];
            }
        }
        return new Bounded(w, x, new boolean[n], new boolean[n], new boolean[n]);
    }

    private static double[] boundWeights(double ratio, double[] weights, boolean[] bounded) {
        if (ratio == 0) {
            return weights;
        }
        double cap = ratio * median(weights);
        double[] out = weights;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > cap) {
                out = out == weights ? weights.clone() : out;
                out[i] = cap;
                bounded[i] = true;
            }
        }
        return out;
    }

    private static double[][] boundDistances(
            InfluenceBound bound,
            double[][] vectors,
            double[] centre,
            boolean[] clipped,
            boolean[] refused) {
        if (bound.distanceRatio() == 0) {
            return vectors;
        }
        double[] distances = new double[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            distances[i] = Vec.distance(vectors[i], centre);
        }
        double radius = bound.distanceRatio() * median(distances);
        double[][] out = vectors;
        for (int i = 0; i < vectors.length; i++) {
            if (radius == 0 || !(distances[i] > radius)) {
                continue; // a majority at the centre gives no scale: nothing to compare with
            }
            if (bound.refuses()) {
                refused[i] = true;
                continue;
            }
            out = out == vectors ? vectors.clone() : out;
            out[i] = towards(centre, vectors[i], radius / distances[i]);
            clipped[i] = true;
        }
        return out;
    }

    /** centre + f (x - centre). */
    private static double[] towards(double[] centre, double[] x, double f) {
        double[] y = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            y[j] = centre[j] + f * (x[j] - centre[j]);
        }
        return y;
    }

    /** The median; the mean of the two middle values for an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
