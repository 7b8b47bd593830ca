package io.dflink.jobs;

import picocli.CommandLine.Option;

/** How the job survives failures: checkpoints, state backend, restarts, output delivery. */
public class RecoveryOptions {

    @Option(
            names = "--checkpoint-interval-ms",
            description = "Checkpoint interval; 0 = no checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointIntervalMillis = Recovery.defaults().checkpointIntervalMillis();

    @Option(
            names = "--checkpoint-dir",
            description =
                    "Checkpoint and savepoint directory (file:// or a Flink file system URI);"
                            + " checkpoints are kept after cancel. Unset = JobManager memory.")
    String checkpointDir;

    @Option(
            names = "--state-backend",
            description =
                    "Keyed state: HASHMAP (heap) or ROCKSDB (disk, incremental checkpoints) (default: ${DEFAULT-VALUE}).")
    Recovery.StateBackend stateBackend = Recovery.defaults().stateBackend();

    @Option(
            names = "--restart-attempts",
            description =
                    "Restarts after failures before the job fails (default: ${DEFAULT-VALUE}).")
    int restartAttempts = Recovery.defaults().restartAttempts();

    @Option(
            names = "--restart-delay-ms",
            description = "Delay before each restart (default: ${DEFAULT-VALUE}).")
    long restartDelayMillis = Recovery.defaults().restartDelayMillis();

    @Option(
            names = "--output-delivery",
            description =
                    "server-models, metrics, dead-letter: AT_LEAST_ONCE (immediate, readers dedupe by"
                            + " key) or EXACTLY_ONCE (transactions, read_committed, + one checkpoint"
                            + " interval of latency) (default: ${DEFAULT-VALUE}).")
    Recovery.OutputDelivery outputDelivery = Recovery.defaults().outputDelivery();

    Recovery recovery() {
        return new Recovery(
                checkpointIntervalMillis,
                checkpointDir,
                stateBackend,
                restartAttempts,
                restartDelayMillis,
                outputDelivery);
    }
}
