package io.dflink.clients;

/**
 * Binary logistic regression with targets in {0, 1}, loss {@code log(1 + e^p) - y p} (the
 * cross-entropy of sigmoid(p)), trained by full-batch gradient descent.
 */
public final class LogisticRegressionTrainer extends GradientDescentTrainer {

    public LogisticRegressionTrainer(LocalDataset data, double stepSize) {
        super(data, stepSize);
        for (double y : data.targets()) {
            if (y != 0 && y != 1) {
                throw new IllegalArgumentException("logistic targets must be 0 or 1, got " + y);
            }
        }
    }

    @Override
    protected double lossDerivative(double p, double y) {
        return sigmoid(p) - y;
    }

    /** A numerically stable logistic function. */
    public static double sigmoid(double p) {
        if (p >= 0) {
            return 1 / (1 + Math.exp(-p));
        }
        double e = Math.exp(p);
        return e / (1 + e);
    }
}
