package io.dflink.clients;

/**
 * A device's local training data: one feature row per sample (include a constant 1 column for a
 * bias) and one target per sample. Immutable by convention; never leaves the device.
 */
public record LocalDataset(double[][] features, double[] targets) {

    public LocalDataset {
        if (features.length != targets.length || features.length == 0) {
            throw new IllegalArgumentException(
                    "need as many targets as feature rows, at least one");
        }
        int d = features[0].length;
        for (double[] row : features) {
            if (row.length != d) {
                throw new IllegalArgumentException("feature rows differ in length");
            }
        }
    }

    public int size() {
        return targets.length;
    }

    public int dim() {
        return features[0].length;
    }
}
