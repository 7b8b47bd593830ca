package io.dflink.operators.core;

/**
 * One client's gradient for the current LT-ADMM local step: batch size and batch mean, and with
 * variance reduction its table's mean and size.
 */
public class GradientPart {
    public double weight;
    public double[] vector;
    public double[] tableMean = new double[0];
    public long samples;

    public GradientPart() {}

    public GradientPart(double weight, double[] vector, double[] tableMean, long samples) {
        this.weight = weight;
        this.vector = vector;
        this.tableMean = tableMean;
        this.samples = samples;
    }
}
