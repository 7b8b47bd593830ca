package io.dflink.operators.core.math;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * Bulk dense linear algebra in float64, backed by ND4J: solves, products, powers and symmetric
 * spectra for reference solvers, spectral checks and batch training. The only class that imports
 * ND4J; {@code INDArray}s never leave it (state and wire types stay {@code double[]}).
 */
public final class Linalg {

    private Linalg() {}

    /** Solves A x = b for square, non-singular A. */
    public static double[] solve(double[][] a, double[] b) {
        INDArray inv = InvertMatrix.invert(matrix(a), false);
        INDArray x = inv.mmul(Nd4j.createFromArray(b).reshape(b.length, 1));
        return x.reshape(b.length).toDoubleVector();
    }

    /** The product A B. */
    public static double[][] multiply(double[][] a, double[][] b) {
        return matrix(a).mmul(matrix(b)).toDoubleMatrix();
    }

    /** A x. */
    public static double[] multiply(double[][] a, double[] x) {
        return matrix(a)
                .mmul(Nd4j.createFromArray(x).reshape(x.length, 1))
                .reshape(a.length)
                .toDoubleVector();
    }

    /** A^k for square A and k >= 0, by repeated squaring. */
    public static double[][] power(double[][] a, int k) {
        INDArray result = Nd4j.eye(a.length).castTo(DataType.DOUBLE);
        INDArray base = matrix(a);
        for (int e = k; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = result.mmul(base);
            }
            base = base.mmul(base);
        }
        return result.toDoubleMatrix();
    }

    /** Eigenvalues of a symmetric matrix, ascending. */
    public static double[] symmetricEigenvalues(double[][] a) {
        INDArray m = matrix(a);
        double[] ev = Eigen.symmetricGeneralizedEigenvalues(m, false).toDoubleVector();
        java.util.Arrays.sort(ev);
        return ev;
    }

    /** The spectral norm of a symmetric matrix: its largest eigenvalue in absolute value. */
    public static double symmetricSpectralNorm(double[][] a) {
        double[] ev = symmetricEigenvalues(a);
        return Math.max(Math.abs(ev[0]), Math.abs(ev[ev.length - 1]));
    }

    /**
     * Least squares: argmin_w ||X w - y||^2 via the normal equations (X^T X) w = X^T y. Rows of X
     * are samples. Fine for the small, well-conditioned problems of reference solvers.
     */
    public static double[] leastSquares(double[][] x, double[] y) {
        INDArray xm = matrix(x);
        INDArray xt = xm.transpose();
        INDArray gram = xt.mmul(xm);
        INDArray rhs = xt.mmul(Nd4j.createFromArray(y).reshape(y.length, 1));
        return InvertMatrix.invert(gram, false).mmul(rhs).reshape(x[0].length).toDoubleVector();
    }

    private static INDArray matrix(double[][] a) {
        return Nd4j.createFromArray(a).castTo(DataType.DOUBLE);
    }
}
