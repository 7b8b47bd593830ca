package io.dflink.clients;

/**
 * A first-order update rule with its own state, applied to a model in place. The state persists
 * across calls: FDA's syncs replace the weights, never the optimizer (docs/algorithms.md §3a).
 */
public interface Optimizer {

    /** Moves {@code w} against {@code grad}. */
    void apply(double[] w, double[] grad);

    /** Plain SGD: w -= lr * g. */
    static Optimizer sgd(double lr) {
        return (w, g) -> {
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * g[i];
            }
        };
    }

    /** Adam with Keras' defaults besides the learning rate (beta1 0.9, beta2 0.999, eps 1e-7). */
    static Optimizer adam(double lr) {
        return new Adam(lr, 0.9, 0.999, 1e-7);
    }

    /** Adam (Kingma and Ba), bias-corrected. */
    final class Adam implements Optimizer {
        private final double lr;
        private final double beta1;
        private final double beta2;
        private final double eps;
        private double[] m = new double[0];
        private double[] v = new double[0];
        private long t;

        Adam(double lr, double beta1, double beta2, double eps) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }

        @Override
        public void apply(double[] w, double[] g) {
            if (m.length != w.length) {
                m = new double[w.length];
                v = new double[w.length];
            }
            t++;
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < w.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
            }
        }
    }
}
