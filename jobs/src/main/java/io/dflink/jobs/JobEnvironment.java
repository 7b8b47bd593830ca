package io.dflink.jobs;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.Locale;

/**
 * Applies {@link Recovery} to a Flink environment: exactly-once checkpoints (aligned barriers;
 * Kafka source offsets are part of them), the state backend, retained checkpoints when a directory
 * is given, and a fixed-delay restart strategy.
 */
public final class JobEnvironment {

    private JobEnvironment() {}

    public static void configure(StreamExecutionEnvironment env, JobConfig config) {
        env.setParallelism(config.parallelism());
        env.configure(flinkConfiguration(config.recovery()));
    }

    /** The Flink settings that {@link Recovery} stands for. */
    public static Configuration flinkConfiguration(Recovery r) {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, r.stateBackend().name().toLowerCase(Locale.ROOT));
        if (r.stateBackend() == Recovery.StateBackend.ROCKSDB) {
            c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        if (r.checkpointing()) {
            c.set(
                    CheckpointingOptions.CHECKPOINTING_INTERVAL,
                    Duration.ofMillis(r.checkpointIntervalMillis()));
            c.set(
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    CheckpointingMode.EXACTLY_ONCE);
            // a broker outage fails a checkpoint or two; that alone must not restart the job
            c.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 3);
        }
        if (r.checkpointDir() != null) {
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, r.checkpointDir());
            c.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, r.checkpointDir());
            // keep the last checkpoint after a cancel, so the job can resume from it
            c.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, r.restartAttempts());
        c.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                Duration.ofMillis(r.restartDelayMillis()));
        return c;
    }
}
