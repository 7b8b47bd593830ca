package io.dflink.clients;

/** Least squares, loss {@code (x.w - y)^2 / 2}, trained by full-batch gradient descent. */
public final class LinearRegressionTrainer extends GradientDescentTrainer {

    public LinearRegressionTrainer(LocalDataset data, double stepSize) {
        super(data, stepSize);
    }

    @Override
    protected double lossDerivative(double p, double y) {
        return p - y;
    }
}
