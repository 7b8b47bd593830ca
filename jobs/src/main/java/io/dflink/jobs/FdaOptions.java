package io.dflink.jobs;

import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.settings.Require;

import picocli.CommandLine.Option;

/** FDA's options: whether FDA governs DFL's client phase ({@code --fda}), and its settings. */
public class FdaOptions {

    @Option(
            names = "--fda",
            description =
                    "What governs the client phase: NONE (DFL: one model per client and round) or"
                            + " FDA with SYNCHRONOUS, PERIODIC, NAIVE, LINEAR or SKETCH"
                            + " (default: ${DEFAULT-VALUE}).")
    FdaChoice fda = FdaChoice.NONE;

    @Option(
            names = "--fda-local-steps",
            description =
                    "FDA: T_C, local steps per round; a forced sync after the last one feeds the"
                            + " server consensus (default: ${DEFAULT-VALUE}).")
    int fdaLocalSteps = 50;

    @Option(
            names = "--fda-threshold",
            description =
                    "FDA: absolute threshold Theta on the variance estimate (squared parameter"
                            + " distance); overrides --fda-threshold-per-dim.")
    Double fdaThreshold;

    @Option(
            names = "--fda-threshold-per-dim",
            description =
                    "FDA: Theta = c * d, for this c, when --fda-threshold is not given"
                            + " (default: ${DEFAULT-VALUE}).")
    double fdaThresholdPerDim = DEFAULT_THRESHOLD_PER_DIM;

    @Option(
            names = "--fda-period",
            description = "PERIODIC: sync after every k local steps (default: ${DEFAULT-VALUE}).")
    int fdaPeriod = 10;

    @Option(
            names = "--fda-seed",
            description =
                    "FDA: seed of the sketch hashes and Linear FDA's first direction (default:"
                            + " ${DEFAULT-VALUE}).")
    long fdaSeed = 1;

    @Option(
            names = "--fda-sketch-width",
            description = "SKETCH: AMS sketch width W (default: ${DEFAULT-VALUE}).")
    int fdaSketchWidth = FdaParams.DEFAULT_SKETCH_WIDTH;

    @Option(
            names = "--fda-sketch-depth",
            description = "SKETCH: AMS sketch depth D (default: ${DEFAULT-VALUE}).")
    int fdaSketchDepth = FdaParams.DEFAULT_SKETCH_DEPTH;

    /**
     * The default Theta / d: Linear FDA's best bytes-to-accuracy trade-off on the digits benchmark
     * (Theta = 1 at d = 650, SGD step 0.3; docs/benchmarks.md). Theta is a squared distance, so it
     * scales with the square of the clients' step size: the FDA authors' 2.7e-5 to 4.9e-5 come from
     * their CNN runs (Adam 1e-3, Nesterov SGD 0.1).
     */
    public static final double DEFAULT_THRESHOLD_PER_DIM = 1.5e-3;

    /** The client phase: DFL's single model per round, or an FDA variant. */
    public enum FdaChoice {
        NONE,
        SYNCHRONOUS,
        PERIODIC,
        NAIVE,
        LINEAR,
        SKETCH
    }

    /** FDA's settings, or null for plain DFL. */
    FdaParams params(int dim) {
        if (fda == FdaChoice.NONE) {
            return null;
        }
        if (fdaThreshold == null) {
            Require.nonNegative("fda-threshold-per-dim", fdaThresholdPerDim);
        }
        double theta = fdaThreshold != null ? fdaThreshold : fdaThresholdPerDim * dim;
        return new FdaParams(
                FdaVariant.valueOf(fda.name()),
                theta,
                fdaLocalSteps,
                fdaPeriod,
                fdaSeed,
                fdaSketchDepth,
                fdaSketchWidth);
    }

    /** What governs the client phase. */
    FdaChoice choice() {
        return fda;
    }
}
