package io.dflink.operators.core.admm;

/**
 * How LT-ADMM estimates the local gradient in each of its tau local steps (docs/algorithms.md §4b).
 */
public enum VarianceReduction {
    /** Plain LT-ADMM: the mini-batch gradient; converges to a neighbourhood of size ~ gamma. */
    NONE,
    /** VR-1: SAGA estimator whose table is refilled at x_k at the start of every round. */
    RESET,
    /** VR-2: SAGA estimator whose table, filled once at x_0, persists across rounds. */
    SAGA
}
