package io.dflink.clients;

/**
 * Full-batch gradient descent for generalized linear models, the local training of DFL
 * (ALGORITHMS.md §1b E1): {@code steps} times {@code w <- w - stepSize * grad f(w)} with {@code
 * f(w) = (1/D) sum_k loss(x_k . w, y_k)}. Subclasses give the derivative of the loss in the
 * prediction.
 */
public abstract class GradientDescentTrainer implements LocalTrainer {

    private final LocalDataset data;
    private final double stepSize;
    private final int steps;

    protected GradientDescentTrainer(LocalDataset data, double stepSize, int steps) {
        if (!(stepSize > 0) || steps < 0) {
            throw new IllegalArgumentException("step size must be > 0 and steps >= 0");
        }
        this.data = data;
        this.stepSize = stepSize;
        this.steps = steps;
    }

    /** d loss / d prediction at prediction {@code p} = x . w and target {@code y}. */
    protected abstract double lossDerivative(double p, double y);

    @Override
    public double[] train(double[] start) {
        if (start.length != data.dim()) {
            throw new IllegalArgumentException(
                    "model has " + start.length + " values, the data " + data.dim() + " features");
        }
        double[] w = start.clone();
        double[] grad = new double[w.length];
        for (int t = 0; t < steps; t++) {
            gradient(w, grad);
            for (int i = 0; i < w.length; i++) {
                w[i] -= stepSize * grad[i];
            }
        }
        return w;
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
}
