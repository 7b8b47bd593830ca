package io.dflink.operators.core.admm;

import io.dflink.records.AdmmSettings;
import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * LT-ADMM's hyper-parameters (docs/algorithms.md §4d): local step gamma, penalty step beta, penalty
 * rho, relaxation alpha (the paper's 1/2), tau local steps per round, mini-batch size b (0 = full
 * local gradient; in the job, per client), the variance reduction, and the seed of the batch draws.
 */
public record AdmmParams(
        double gamma,
        double beta,
        double rho,
        double alpha,
        int tau,
        int batchSize,
        VarianceReduction variance,
        long seed)
        implements Serializable {

    public AdmmParams {
        Require.positive("admm-gamma", gamma);
        Require.positive("admm-beta", beta);
        Require.positive("admm-rho", rho);
        Require.that(alpha > 0 && alpha < 1, "admm-alpha", alpha, "alpha must be in (0, 1)");
        Require.atLeast("admm-tau", tau, 1);
        Require.that(
                batchSize >= 0, "admm-batch-size", batchSize, "must be >= 0 (0 = full gradient)");
        Require.present("admm-variance", variance);
        Require.atLeast("admm-seed", seed, 0);
    }

    /** decent-bench's defaults: gamma = beta = 0.01, rho = 1, alpha = 1/2, tau = 5. */
    public static AdmmParams defaults() {
        return new AdmmParams(0.01, 0.01, 1, 0.5, 5, 0, VarianceReduction.NONE, 1);
    }

    public AdmmParams withSteps(double gamma, double beta) {
        return new AdmmParams(gamma, beta, rho, alpha, tau, batchSize, variance, seed);
    }

    public AdmmParams withTau(int t) {
        return new AdmmParams(gamma, beta, rho, alpha, t, batchSize, variance, seed);
    }

    public AdmmParams withBatch(int b, VarianceReduction v) {
        return new AdmmParams(gamma, beta, rho, alpha, tau, b, v, seed);
    }

    /** The settings a server sends its clients with each round's model. */
    public AdmmSettings settings() {
        AdmmSettings s = new AdmmSettings();
        s.variance = variance.name();
        s.tau = tau;
        s.batchSize = batchSize;
        s.seed = seed;
        return s;
    }
}
