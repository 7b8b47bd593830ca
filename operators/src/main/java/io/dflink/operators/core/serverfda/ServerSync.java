package io.dflink.operators.core.serverfda;

/** When the servers run their consensus (server-tier FDA, docs/algorithms.md §5.1). */
public enum ServerSync {
    /** Every round: DFL as published. */
    ALWAYS,
    /** Every k-th round (rounds k-1, 2k-1, …) and the last round. */
    PERIODIC,
    /**
     * When the servers' model variance, estimated without a coordinator, exceeds Θ_S; also after
     * the maximum interval and in the last round.
     */
    VARIANCE
}
