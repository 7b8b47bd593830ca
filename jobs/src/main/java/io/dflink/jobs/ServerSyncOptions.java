package io.dflink.jobs;

import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.operators.core.serverfda.ServerSync;

import picocli.CommandLine.Option;

/** Server-tier FDA's options: when the servers run their consensus, and the estimate's sketch. */
public class ServerSyncOptions {

    @Option(
            names = "--server-sync",
            description =
                    "When the servers gossip: ALWAYS (every round, DFL), PERIODIC (every"
                            + " --server-sync-period rounds) or VARIANCE (when their model variance,"
                            + " estimated without a coordinator, exceeds --server-sync-threshold)."
                            + " The last round always gossips (default: ${DEFAULT-VALUE}).")
    ServerSync sync = ServerSync.ALWAYS;

    @Option(
            names = "--server-sync-period",
            description = "PERIODIC: gossip in every k-th round (default: ${DEFAULT-VALUE}).")
    int period = 5;

    @Option(
            names = "--server-sync-threshold",
            description =
                    "VARIANCE: Θ_S on (1/M) Σ_i ‖w_i − w̄‖², a squared parameter distance"
                            + " (default: ${DEFAULT-VALUE}).")
    double threshold = 1e-3;

    @Option(
            names = "--server-sync-max-interval",
            description =
                    "VARIANCE: gossip at least once in this many rounds, 0 = no bound (default:"
                            + " ${DEFAULT-VALUE}).")
    int maxInterval = 10;

    @Option(
            names = "--server-sync-sketch-depth",
            description =
                    "VARIANCE: AMS sketch depth of a model in the estimate (default: ${DEFAULT-VALUE}).")
    int sketchDepth = ServerFdaParams.DEFAULT_SKETCH_DEPTH;

    @Option(
            names = "--server-sync-sketch-width",
            description =
                    "VARIANCE: AMS sketch width; models no larger than depth x width travel as they"
                            + " are and the estimate is exact (default: ${DEFAULT-VALUE}).")
    int sketchWidth = ServerFdaParams.DEFAULT_SKETCH_WIDTH;

    @Option(
            names = "--server-sync-seed",
            description = "VARIANCE: seed of the sketch's hashes (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    /** Whether an option of the given name belongs to a mode other than {@link #sync}. */
    boolean isForeign(String name) {
        return name.startsWith("--server-sync-")
                && (sync == ServerSync.ALWAYS
                        || (sync == ServerSync.PERIODIC && !name.equals("--server-sync-period"))
                        || (sync == ServerSync.VARIANCE && name.equals("--server-sync-period")));
    }

    ServerFdaParams params() {
        return new ServerFdaParams(
                sync, period, threshold, maxInterval, sketchDepth, sketchWidth, seed);
    }
}
