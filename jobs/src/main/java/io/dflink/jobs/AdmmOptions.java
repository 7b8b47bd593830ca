package io.dflink.jobs;

import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.VarianceReduction;

import picocli.CommandLine.Option;

/** LT-ADMM's options ({@code --algorithm LT_ADMM}). */
public class AdmmOptions {

    @Option(
            names = "--admm-variance",
            description =
                    "LT-ADMM's gradient estimator: NONE, RESET (VR-1) or SAGA (VR-2) (default:"
                            + " ${DEFAULT-VALUE}).")
    VarianceReduction admmVariance = VarianceReduction.NONE;

    @Option(
            names = "--admm-gamma",
            description = "LT-ADMM: local step gamma (default: ${DEFAULT-VALUE}).")
    double admmGamma = AdmmParams.defaults().gamma();

    @Option(
            names = "--admm-beta",
            description = "LT-ADMM: penalty step beta (default: ${DEFAULT-VALUE}).")
    double admmBeta = AdmmParams.defaults().beta();

    @Option(names = "--admm-rho", description = "LT-ADMM: penalty rho (default: ${DEFAULT-VALUE}).")
    double admmRho = AdmmParams.defaults().rho();

    @Option(
            names = "--admm-alpha",
            description = "LT-ADMM: relaxation alpha (default: ${DEFAULT-VALUE}).")
    double admmAlpha = AdmmParams.defaults().alpha();

    @Option(
            names = "--admm-tau",
            description = "LT-ADMM: tau, local steps per round (default: ${DEFAULT-VALUE}).")
    int admmTau = AdmmParams.defaults().tau();

    @Option(
            names = "--admm-batch-size",
            description =
                    "LT-ADMM: samples per client and step; 0 = all (default: ${DEFAULT-VALUE}).")
    int admmBatchSize = 8;

    @Option(
            names = "--admm-seed",
            description = "LT-ADMM: seed of the clients' batch draws (default: ${DEFAULT-VALUE}).")
    long admmSeed = 1;

    /** LT-ADMM's settings. */
    AdmmParams params() {
        return new AdmmParams(
                admmGamma,
                admmBeta,
                admmRho,
                admmAlpha,
                admmTau,
                admmBatchSize,
                admmVariance,
                admmSeed);
    }
}
