package io.dflink.operators.core.admm;

import java.util.SplittableRandom;

/** f_h(x) = (a_h . x - b_h)^2 / 2 on seeded Gaussian data: f_i = ||A x - b||^2 / (2m). */
final class LeastSquaresProblem implements LocalProblem {

    final double[][] a;
    final double[] b;

    LeastSquaresProblem(double[][] a, double[] b) {
        this.a = a;
        this.b = b;
    }

    /** m rows of n features around a per-agent truth {@code shift}, so local optima differ. */
    static LeastSquaresProblem random(int m, int n, double shift, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] a = new double[m][n];
        double[] b = new double[m];
        for (int h = 0; h < m; h++) {
            double y = 0;
            for (int k = 0; k < n; k++) {
                a[h][k] = rnd.nextGaussian();
                y += a[h][k] * (1 + shift * (k + 1));
            }
            b[h] = y + 0.1 * rnd.nextGaussian();
        }
        return new LeastSquaresProblem(a, b);
    }

    @Override
    public int dim() {
        return a[0].length;
    }

    @Override
    public int samples() {
        return b.length;
    }

    @Override
    public void gradient(int h, double[] x, double[] out) {
        double r = -b[h];
        for (int k = 0; k < x.length; k++) {
            r += a[h][k] * x[k];
        }
        for (int k = 0; k < x.length; k++) {
            out[k] = r * a[h][k];
        }
    }
}
