package io.dflink.operators.core.math;

/**
 * Plain-Java kernels on {@code double[]} for per-event vector math (aggregation, mixing, norms).
 * For the vector sizes of one event, loops beat ND4J's per-call overhead by 10-1000x
 * (docs/benchmarks.md, kernels). Bulk linear algebra lives in {@link Linalg}.
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
     * of streaming through memory k times (2-4x at d >= 10^5, docs/benchmarks.md).
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

    /**
     * ||x - y||^2 in one pass. Summed in four interleaved lanes (lane j takes the coordinates i
     * with i mod 4 = j, the lanes are added at the end): one running sum waits 4 cycles per
     * addition, four overlap (3-4x at d >= 10^5). The order is fixed by the length alone, so the
     * result is the same on every machine and run.
     */
    public static double squaredDistance(double[] x, double[] y) {
        checkSameLength(x, y);
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = x.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double d0 = x[i] - y[i];
            double d1 = x[i + 1] - y[i + 1];
            double d2 = x[i + 2] - y[i + 2];
            double d3 = x[i + 3] - y[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++) {
            double d = x[i] - y[i];
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * {@code {||x - y||^2, <u, x - y>}} in one pass over the three vectors, without forming x - y
     * (Linear FDA's device statistics); both sums in the four lanes of {@link #squaredDistance}, so
     * the first is bit for bit {@code squaredDistance(x, y)}.
     */
    public static double[] squaredDistanceAndDot(double[] u, double[] x, double[] y) {
        checkSameLength(x, y);
        checkSameLength(u, x);
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        int n = x.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            double d0 = x[i] - y[i];
            double d1 = x[i + 1] - y[i + 1];
            double d2 = x[i + 2] - y[i + 2];
            double d3 = x[i + 3] - y[i + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
            p0 += u[i] * d0;
            p1 += u[i + 1] * d1;
            p2 += u[i + 2] * d2;
            p3 += u[i + 3] * d3;
        }
        for (; i < n; i++) {
            double d = x[i] - y[i];
            s0 += d * d;
            p0 += u[i] * d;
        }
        return new double[] {(s0 + s1) + (s2 + s3), (p0 + p1) + (p2 + p3)};
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
