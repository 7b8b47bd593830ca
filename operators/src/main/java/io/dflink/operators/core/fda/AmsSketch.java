package io.dflink.operators.core.fda;

import java.util.Arrays;

/**
 * The AMS sketch of FDA's authors (docs/algorithms.md §3b, {@code fdavg/strategies/sketch.py}):
 * depth D rows of width W; coordinate k of a vector adds {@code sign_r(k) * v_k} to bucket {@code
 * bucket_r(k)} of row r. Linear in the vector, so the clients' sketches of their drifts add up to
 * the sketch of the mean drift, and {@link #m2} of a sketch estimates the squared norm.
 *
 * <p>The six hash parameters per row, F[j][r], come from the seed by SplitMix64 (a few lines in any
 * language, see the contract README), so every client of a server derives the same hashes from the
 * seed in the server's model event. Bucket and sign tables are computed once per dimension: a
 * sketch then costs D multiply-adds per coordinate.
 */
public final class AmsSketch {

    private final int depth;
    private final int width;
    private final int[][] seeds;
    private final int[][] buckets;
    private final byte[][] signs;

    public AmsSketch(long seed, int depth, int width, int dim) {
        this.depth = depth;
        this.width = width;
        this.seeds = seeds(seed, depth);
        this.buckets = new int[depth][dim];
        this.signs = new byte[depth][dim];
        for (int r = 0; r < depth; r++) {
            for (int k = 0; k < dim; k++) {
                buckets[r][k] = bucket(seeds, r, k, width);
                signs[r][k] = (byte) sign(seeds, r, k);
            }
        }
    }

    public int depth() {
        return depth;
    }

    public int width() {
        return width;
    }

    public int dim() {
        return buckets[0].length;
    }

    /** sk(v): D x W values, row-major. */
    public double[] sketch(double[] v) {
        if (v.length != dim()) {
            throw new IllegalArgumentException(
                    "vector has " + v.length + " values, the sketch expects " + dim());
        }
        double[] s = new double[depth * width];
        for (int r = 0; r < depth; r++) {
            int[] b = buckets[r];
            byte[] g = signs[r];
            int row = r * width;
            for (int k = 0; k < v.length; k++) {
                s[row + b[k]] += g[k] * v[k];
            }
        }
        return s;
    }

    /** sign_0(k): the signs of row 0, the seeded random direction of Linear FDA's first round. */
    public double sign0(int k) {
        return signs[0][k];
    }

    /** M2(S) = the median over rows of the row's sum of squares: estimates ||v||^2. */
    public static double m2(double[] sketch, int depth, int width) {
        double[] rows = new double[depth];
        for (int r = 0; r < depth; r++) {
            double sum = 0;
            for (int c = 0; c < width; c++) {
                double x = sketch[r * width + c];
                sum += x * x;
            }
            rows[r] = sum;
        }
        Arrays.sort(rows);
        int mid = depth / 2;
        return depth % 2 == 1 ? rows[mid] : (rows[mid - 1] + rows[mid]) / 2;
    }

    /** The authors' hash31: r = a*x + b with int32 wrap-around, folded to 31 bits. */
    static int hash31(int x, int a, int b) {
        int r = a * x + b;
        r = (r >> 31) ^ r;
        return r & 0x7FFFFFFF;
    }

    static int bucket(int[][] f, int r, int k, int width) {
        return hash31(k, f[0][r], f[1][r]) % width;
    }

    static int sign(int[][] f, int r, int k) {
        int h1 = hash31(k, f[2][r], f[3][r]);
        int h2 = hash31(k, h1, f[4][r]);
        int h3 = hash31(k, h2, f[5][r]);
        return 2 * ((h3 & 32768) >> 15) - 1;
    }

    /** F[j][r], j < 6, r < depth: the top 31 bits of SplitMix64's output number j*depth + r. */
    static int[][] seeds(long seed, int depth) {
        int[][] f = new int[6][depth];
        long state = seed;
        for (int j = 0; j < 6; j++) {
            for (int r = 0; r < depth; r++) {
                state += 0x9E3779B97F4A7C15L;
                f[j][r] = (int) (mix(state) >>> 33);
            }
        }
        return f;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
