package io.dflink.clients;

import io.dflink.operators.core.admm.LocalProblem;

/**
 * L2-regularised softmax regression as per-sample losses, for algorithms that work with sample
 * gradients (LT-ADMM): f_h(W) = cross-entropy(softmax(W x_h), y_h) + (lambda / 2) ||W||^2, with W
 * the {@code classes x features} matrix row-major, as in {@link SoftmaxRegressionTrainer}.
 */
public final class SoftmaxProblem implements LocalProblem {

    private final LocalDataset data;
    private final int classes;
    private final double lambda;

    public SoftmaxProblem(LocalDataset data, int classes, double lambda) {
        if (classes < 2 || !(lambda >= 0)) {
            throw new IllegalArgumentException("need >= 2 classes and lambda >= 0");
        }
        this.data = data;
        this.classes = classes;
        this.lambda = lambda;
    }

    public LocalDataset data() {
        return data;
    }

    @Override
    public int dim() {
        return data.dim() * classes;
    }

    @Override
    public int samples() {
        return data.size();
    }

    @Override
    public void gradient(int h, double[] w, double[] out) {
        int features = data.dim();
        double[] x = data.features()[h];
        double[] p = new double[classes];
        SoftmaxRegressionTrainer.probabilities(w, x, classes, p);
        p[(int) data.targets()[h]] -= 1;
        for (int c = 0; c < classes; c++) {
            int row = c * features;
            for (int i = 0; i < features; i++) {
                out[row + i] = p[c] * x[i] + lambda * w[row + i];
            }
        }
    }

    /** The objective (1/m) sum_h f_h(W). */
    public double loss(double[] w) {
        double sq = 0;
        for (double v : w) {
            sq += v * v;
        }
        return SoftmaxRegressionTrainer.loss(w, data, classes) + lambda / 2 * sq;
    }
}
