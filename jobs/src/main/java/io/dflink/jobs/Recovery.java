package io.dflink.jobs;

import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * How the job survives failures: checkpoint cadence and storage, state backend, restart policy, and
 * the delivery guarantee of the output topics. The consensus feedback loop is always at-least-once
 * (its reader, the server, drops duplicates), because a transactional loop would make every
 * consensus step wait for a checkpoint.
 */
public record Recovery(
        long checkpointIntervalMillis,
        String checkpointDir,
        StateBackend stateBackend,
        int restartAttempts,
        long restartDelayMillis,
        OutputDelivery outputDelivery)
        implements Serializable {

    /** Where keyed state lives between checkpoints. */
    public enum StateBackend {
        /** Objects on the JVM heap: fastest, bounded by the TaskManager heap. */
        HASHMAP,
        /** RocksDB on local disk: for state larger than memory; incremental checkpoints. */
        ROCKSDB
    }

    /** Guarantee of server-models, metrics and dead-letter as their readers see them. */
    public enum OutputDelivery {
        /**
         * Written at once; after a recovery a record may be written again, with identical content
         * and key. Readers deduplicate by (serverId, round) (models, metrics).
         */
        AT_LEAST_ONCE,
        /**
         * Kafka transactions committed with each checkpoint: {@code read_committed} readers see
         * every record exactly once, one checkpoint interval later.
         */
        EXACTLY_ONCE
    }

    public Recovery {
        Require.that(
                checkpointIntervalMillis >= 0,
                "checkpoint-interval-ms",
                checkpointIntervalMillis,
                "must be >= 0 (0 = no checkpoints)");
        Require.present("state-backend", stateBackend);
        Require.atLeast("restart-attempts", restartAttempts, 0);
        Require.atLeast("restart-delay-ms", restartDelayMillis, 0);
        Require.present("output-delivery", outputDelivery);
        Require.that(
                outputDelivery == OutputDelivery.AT_LEAST_ONCE || checkpointIntervalMillis > 0,
                "output-delivery",
                outputDelivery,
                "exactly-once output needs checkpointing (--checkpoint-interval-ms > 0)");
        checkpointDir = checkpointDir == null || checkpointDir.isBlank() ? null : checkpointDir;
    }

    /** The defaults of {@code dflink run}: checkpoints every 10 s, heap state, 10 restarts. */
    public static Recovery defaults() {
        return new Recovery(
                10_000, null, StateBackend.HASHMAP, 10, 1_000, OutputDelivery.AT_LEAST_ONCE);
    }

    public boolean checkpointing() {
        return checkpointIntervalMillis > 0;
    }
}
