package io.dflink.operators.core.fda;

/**
 * How a server decides when its clients synchronise (docs/algorithms.md §3): the two baselines that
 * sync on a fixed schedule, and the three FDA estimators of the model variance.
 */
public enum FdaVariant {
    /** Sync after every local step (FDA with threshold 0, without monitoring traffic). */
    SYNCHRONOUS,
    /** Sync after every {@code period} local steps. */
    PERIODIC,
    /** H = mean ||Delta_i||^2. */
    NAIVE,
    /** H = mean ||Delta_i||^2 - (mean <xi, Delta_i>)^2. */
    LINEAR,
    /** H = mean ||Delta_i||^2 - M2(mean sk(Delta_i)) / (1 + eps). */
    SKETCH;

    /** True when clients report a state after each step and the server decides on it. */
    public boolean monitored() {
        return this == NAIVE || this == LINEAR || this == SKETCH;
    }
}
