package io.dflink.operators.core;

/** One client's accepted update of the current round: its sample-count weight and its model. */
public class ClientContribution {
    public double weight;
    public double[] vector;

    public ClientContribution() {}

    public ClientContribution(double weight, double[] vector) {
        this.weight = weight;
        this.vector = vector;
    }
}
