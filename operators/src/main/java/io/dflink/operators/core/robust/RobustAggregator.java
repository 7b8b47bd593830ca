package io.dflink.operators.core.robust;

import io.dflink.operators.core.math.Vec;

import java.util.Arrays;

/**
 * The kernels of the {@link Aggregation} rules on plain arrays: {@code vectors[i]} with weight
 * {@code weights[i]} (sample counts, > 0). Each returns a new vector and leaves its inputs alone.
 */
public final class RobustAggregator {

    private RobustAggregator() {}

    /**
     * What a rule made of a round: the aggregate, and per input whether the rule left it out
     * (multi-Krum) or clipped it (centred clipping, in its last iteration).
     */
    public record Combined(double[] vector, boolean[] discarded, boolean[] clipped) {
        static Combined plain(double[] vector, int n) {
            return new Combined(vector, new boolean[n], new boolean[n]);
        }
    }

    /**
     * Aggregates by {@code rule}; {@code center} is where {@link Aggregation.CenteredClipping}
     * starts (the server's current model) and is ignored by the other rules.
     */
    public static Combined aggregate(
            Aggregation rule, double[] weights, double[][] vectors, double[] center) {
        checkInputs(weights, vectors);
        int n = vectors.length;
        if (rule instanceof Aggregation.Median) {
            return Combined.plain(median(vectors), n);
        }
        if (rule instanceof Aggregation.TrimmedMean t) {
            return Combined.plain(trimmedMean(vectors, t.beta()), n);
        }
        if (rule instanceof Aggregation.MultiKrum k) {
            int m = k.m() == 0 ? n - k.f() : k.m();
            boolean[] discarded = new boolean[n];
            Arrays.fill(discarded, true);
            for (int i : multiKrumSelection(vectors, k.f(), m)) {
                discarded[i] = false;
            }
            return new Combined(multiKrum(weights, vectors, k.f(), m), discarded, new boolean[n]);
        }
        if (rule instanceof Aggregation.CenteredClipping c) {
            boolean[] clipped = new boolean[n];
            double[] v = centeredClipping(vectors, center, c.tau(), c.iterations(), clipped);
            return new Combined(v, new boolean[n], clipped);
        }
        return Combined.plain(mean(weights, vectors), n);
    }

    /** The weighted mean, computed exactly as a server's plain client averaging does. */
    public static double[] mean(double[] weights, double[][] vectors) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] sum = Vec.weightedSum(weights, vectors);
        Vec.scale(1.0 / total, sum);
        return sum;
    }

    /** The coordinate-wise median; the mean of the two middle values for an even count. */
    public static double[] median(double[][] vectors) {
        int n = vectors.length;
        int d = vectors[0].length;
        double[] out = new double[d];
        double[] column = new double[n];
        for (int j = 0; j < d; j++) {
            sortedColumn(vectors, j, column);
            out[j] = n % 2 == 1 ? column[n / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
        }
        return out;
    }

    /**
     * Per coordinate, the mean of the values left after dropping {@code floor(beta n)} per side.
     */
    public static double[] trimmedMean(double[][] vectors, double beta) {
        int n = vectors.length;
        int cut = (int) Math.floor(beta * n);
        int kept = n - 2 * cut;
        if (kept < 1) {
            throw new IllegalArgumentException(
                    "trimming " + cut + " per side leaves nothing of " + n + " vectors");
        }
        int d = vectors[0].length;
        double[] out = new double[d];
        double[] column = new double[n];
        for (int j = 0; j < d; j++) {
            sortedColumn(vectors, j, column);
            double sum = 0;
            for (int i = cut; i < n - cut; i++) {
                sum += column[i];
            }
            out[j] = sum / kept;
        }
        return out;
    }

    /**
     * Multi-Krum: the weighted mean of the {@code m} vectors whose summed squared distances to
     * their {@code n - f - 2} nearest others are smallest ({@link #multiKrumSelection}).
     */
    public static double[] multiKrum(double[] weights, double[][] vectors, int f, int m) {
        int[] chosen = multiKrumSelection(vectors, f, m);
        double[] w = new double[m];
        double[][] x = new double[m][];
        for (int k = 0; k < m; k++) {
            w[k] = weights[chosen[k]];
            x[k] = vectors[chosen[k]];
        }
        return mean(w, x);
    }

    /**
     * The indices multi-Krum keeps, ascending: the {@code m} best Krum scores, ties to the earlier
     * vector. The others are the ones it discards.
     */
    public static int[] multiKrumSelection(double[][] vectors, int f, int m) {
        int n = vectors.length;
        if (n < 2 * f + 3 || m > n) {
            throw new IllegalArgumentException(
                    "multi-Krum with f = "
                            + f
                            + " and m = "
                            + m
                            + " needs n >= max(2f + 3, m), got "
                            + n);
        }
        double[] scores = krumScores(vectors, n - f - 2);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> scores[a] != scores[b] ? Double.compare(scores[a], scores[b]) : a - b);
        int[] chosen = new int[m];
        for (int k = 0; k < m; k++) {
            chosen[k] = order[k];
        }
        Arrays.sort(chosen); // sum in the callers' (client-id) order
        return chosen;
    }

    /** Each vector's summed squared distances to its {@code neighbours} nearest others. */
    private static double[] krumScores(double[][] vectors, int neighbours) {
        int n = vectors.length;
        double[][] distances = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                distances[i][k] = Vec.squaredDistance(vectors[i], vectors[k]);
                distances[k][i] = distances[i][k];
            }
        }
        double[] scores = new double[n];
        double[] row = new double[n - 1];
        for (int i = 0; i < n; i++) {
            int c = 0;
            for (int k = 0; k < n; k++) {
                if (k != i) {
                    row[c++] = distances[i][k];
                }
            }
            Arrays.sort(row);
            for (int k = 0; k < neighbours; k++) {
                scores[i] += row[k];
            }
        }
        return scores;
    }

    /**
     * Centred clipping: {@code iterations} times {@code v <- v + (1/n) sum_i clip(x_i - v, tau)},
     * from {@code center}; {@code clip(u, tau) = u min(1, tau / ||u||)}. Unweighted, as in the
     * paper: a declared sample count is the device's word, and one inflated weight would otherwise
     * pull as hard as all the others together.
     */
    public static double[] centeredClipping(
            double[][] vectors, double[] center, double tau, int iterations) {
        return centeredClipping(vectors, center, tau, iterations, new boolean[vectors.length]);
    }

    /** As above; {@code clipped[i]} tells whether vector i was clipped in the last iteration. */
    private static double[] centeredClipping(
            double[][] vectors, double[] center, double tau, int iterations, boolean[] clipped) {
        if (center == null || center.length != vectors[0].length) {
            throw new IllegalArgumentException(
                    "centred clipping needs a centre of the same length");
        }
        int n = vectors.length;
        double[] v = center.clone();
        double[] step = new double[v.length];
        double[] diff = new double[v.length];
        for (int t = 0; t < iterations; t++) {
            Arrays.fill(step, 0);
            for (int i = 0; i < n; i++) {
                double[] x = vectors[i];
                for (int j = 0; j < v.length; j++) {
                    diff[j] = x[j] - v[j];
                }
                double norm = Vec.norm(diff);
                clipped[i] = norm > tau;
                double scale = norm > tau ? tau / norm : 1;
                Vec.axpy(scale / n, diff, step);
            }
            Vec.axpy(1, step, v);
        }
        return v;
    }

    private static void sortedColumn(double[][] vectors, int j, double[] column) {
        for (int i = 0; i < vectors.length; i++) {
            column[i] = vectors[i][j];
        }
        Arrays.sort(column);
    }

    private static void checkInputs(double[] weights, double[][] vectors) {
        if (vectors.length == 0 || weights.length != vectors.length) {
            throw new IllegalArgumentException("one weight per vector, at least one vector");
        }
        int d = vectors[0].length;
        for (double[] v : vectors) {
            if (v.length != d) {
                throw new IllegalArgumentException("vectors of different lengths");
            }
        }
    }
}
