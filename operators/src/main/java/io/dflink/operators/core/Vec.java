package io.dflink.operators.core;

/**
 * Plain-Java kernels on {@code double[]} for per-event vector math (aggregation, mixing, norms).
 * PLATFORM.md §4: for the vector sizes of one event, loops beat ND4J's per-call overhead by
 * 10-1000x. Bulk linear algebra lives in {@link Linalg}.
 */
public final class Vec {

    private Vec() {}

    public static double[] zeros(int n) {
        return new double[n];
    }

    /** y += alpha * x. */
    public static void axpy(double alpha, double[] x, double[] y) {
        checkSameLength(x, y);
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    /**
     * Coordinates per block of {@link #weightedSum}: 8 KiB of output, which stays in L1 while each
     * input streams through once.
     */
    private static final int BLOCK = 1024;

    /**
     * sum_k w[k] x[k] as a new vector: the servers' aggregation and mixing step. Each coordinate is
     * summed in k order, so the result is bit for bit that of zeros and one {@link #axpy} per k;
     * but block by block, so every input is read once and the output block stays in cache instead
     * of streaming through memory k times (issue 8: 2-4x at d >= 10^5, docs/benchmarks.md).
     */
    public static double[] weightedSum(double[] w, double[][] x) {
        if (w.length != x.length || x.length == 0) {
            throw new IllegalArgumentException("one weight per vector, at least one vector");
        }
        int n = x[0].length;
        for (double[] v : x) {
            if (v.length != n) {
                throw new IllegalArgumentException(
                        "vector lengths differ: " + n + " vs " + v.length);
            }
        }
        double[] out = new double[n];
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            for (int k = 0; k < x.length; k++) {
                double a = w[k];
                double[] v = x[k];
                for (int i = from; i < to; i++) {
                    out[i] += a * v[i];
                }
            }
        }
        return out;
    }

    /** x *= alpha, in place. */
    public static void scale(double alpha, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= alpha;
        }
    }

    /** alpha * x as a new vector. */
    public static double[] scaled(double alpha, double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = alpha * x[i];
        }
        return y;
    }

    public static double dot(double[] x, double[] y) {
        checkSameLength(x, y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    public static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    /** Euclidean distance ||x - y||. */
    public static double distance(double[] x, double[] y) {
        checkSameLength(x, y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** The coordinate-wise mean of equally long vectors. */
    public static double[] mean(Iterable<double[]> vectors, int dim) {
        double[] m = new double[dim];
        int n = 0;
        for (double[] v : vectors) {
            axpy(1.0, v, m);
            n++;
        }
        if (n > 0) {
            scale(1.0 / n, m);
        }
        return m;
    }

    private static void checkSameLength(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    "vector lengths differ: " + x.length + " vs " + y.length);
        }
    }
}
