package io.dflink.operators.core;

import io.dflink.records.SourceRef;

/**
 * One client's accepted update of the current round: its sample-count weight and its model, and
 * where it came from when the round may still refuse it as an outlier (else null: the bytes are
 * kept only when needed, for the dead letter).
 */
public class ClientContribution {
    public double weight;
    public double[] vector;
    public SourceRef source;

    public ClientContribution() {}

    public ClientContribution(double weight, double[] vector) {
        this.weight = weight;
        this.vector = vector;
    }

    public ClientContribution(double weight, double[] vector, SourceRef source) {
        this(weight, vector);
        this.source = source;
    }
}
