package io.dflink.clients;

import io.dflink.operators.core.admm.LocalProblem;

/**
 * Full-batch gradient descent for generalized linear models, the local training of DFL
 * (docs/algorithms.md §1b E1): each step is {@code w <- w - stepSize * grad f(w)} with {@code f(w)
 * = (1/D) sum_k loss(x_k . w, y_k)}. Subclasses give the derivative of the loss in the prediction.
 * The same losses are an LT-ADMM sample source ({@link LocalProblem}).
 */
public abstract class GradientDescentTrainer implements LocalTrainer, LocalProblem {

    private final LocalDataset data;
    private final double stepSize;
    private double[] grad = new double[0];

    protected GradientDescentTrainer(LocalDataset data, double stepSize) {
        if (!(stepSize > 0)) {
            throw new IllegalArgumentException("step size must be > 0");
        }
        this.data = data;
        this.stepSize = stepSize;
    }

    /** d loss / d prediction at prediction {@code p} = x . w and target {@code y}. */
    protected abstract double lossDerivative(double p, double y);

    @Override
    public void step(double[] w) {
        if (w.length != data.dim()) {
            throw new IllegalArgumentException(
                    "model has " + w.length + " values, the data " + data.dim() + " features");
        }
        if (grad.length != w.length) {
            grad = new double[w.length];
        }
        gradient(w, grad);
        for (int i = 0; i < w.length; i++) {
            w[i] -= stepSize * grad[i];
        }
    }

    /** grad = (1/D) sum_k loss'(x_k . w, y_k) x_k. */
    void gradient(double[] w, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        double[][] x = data.features();
        double[] y = data.targets();
        for (int k = 0; k < y.length; k++) {
            double p = 0;
            for (int i = 0; i < w.length; i++) {
                p += x[k][i] * w[i];
            }
            double g = lossDerivative(p, y[k]);
            for (int i = 0; i < w.length; i++) {
                grad[i] += g * x[k][i];
            }
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] /= y.length;
        }
    }

    @Override
    public int sampleCount() {
        return data.size();
    }

    // as an LT-ADMM sample source: the same losses, one sample at a time

    @Override
    public int dim() {
        return data.dim();
    }

    @Override
    public int samples() {
        return data.size();
    }

    @Override
    public void gradient(int h, double[] w, double[] out) {
        double[] x = data.features()[h];
        double p = 0;
        for (int i = 0; i < w.length; i++) {
            p += x[i] * w[i];
        }
        double g = lossDerivative(p, data.targets()[h]);
        for (int i = 0; i < w.length; i++) {
            out[i] = g * x[i];
        }
    }
}
