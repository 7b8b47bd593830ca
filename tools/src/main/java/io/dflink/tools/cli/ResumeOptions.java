package io.dflink.tools.cli;

import io.dflink.settings.InvalidSettingException;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;

import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code dflink run}'s way back after a stop or a crash, as {@code flink run -s} is on a cluster:
 * {@code --resume} restores the newest checkpoint (or savepoint) retained in {@code
 * --checkpoint-dir}, {@code --from-checkpoint DIR} a given one. The job then re-reads Kafka from
 * that checkpoint's offsets and ends on the models an uninterrupted run ends on.
 */
public class ResumeOptions {

    @Option(
            names = "--resume",
            description =
                    "Continue a stopped or crashed run from the newest checkpoint (or savepoint)"
                            + " retained in --checkpoint-dir.")
    boolean resume;

    @Option(
            names = "--from-checkpoint",
            paramLabel = "DIR",
            description =
                    "Continue from this checkpoint (…/<job id>/chk-<n>) or savepoint directory.")
    Path fromCheckpoint;

    /**
     * Sets the local run's restore path in {@code environment}, and tells the user what it restores
     * or how a later run would; {@code checkpointDir} is the run's, or null.
     */
    Configuration applyTo(Configuration environment, String checkpointDir, PrintStream out) {
        Optional<Path> restore = restorePath(checkpointDir);
        if (restore.isPresent()) {
            environment.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.get().toUri().toString());
            out.println("resuming from " + restore.get());
        } else if (checkpointDir != null) {
            out.println(
                    "checkpoints are kept in "
                            + checkpointDir
                            + "; after a stop or a crash, the same command with --resume continues"
                            + " from the newest");
        }
        return environment;
    }

    private Optional<Path> restorePath(String checkpointDir) {
        if (resume && fromCheckpoint != null) {
            throw new InvalidSettingException(
                    "resume", null, "and --from-checkpoint exclude each other: give one");
        }
        if (fromCheckpoint != null) {
            if (!Checkpoints.isComplete(fromCheckpoint)) {
                throw new InvalidSettingException(
                        "from-checkpoint",
                        fromCheckpoint,
                        "must be a checkpoint or savepoint directory with a "
                                + Checkpoints.METADATA
                                + " file");
            }
            return Optional.of(fromCheckpoint);
        }
        if (!resume) {
            return Optional.empty();
        }
        if (checkpointDir == null) {
            throw new InvalidSettingException(
                    "resume",
                    null,
                    "needs --checkpoint-dir, where the stopped run kept its checkpoints");
        }
        Path dir =
                Checkpoints.localDirectory(checkpointDir)
                        .orElseThrow(
                                () ->
                                        new InvalidSettingException(
                                                "resume",
                                                null,
                                                "finds checkpoints on the local file system only;"
                                                        + " for "
                                                        + checkpointDir
                                                        + " give --from-checkpoint"));
        return Optional.of(
                Checkpoints.latest(dir)
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "no complete checkpoint or savepoint in "
                                                        + dir
                                                        + " to resume from (a run keeps them with"
                                                        + " --checkpoint-dir and"
                                                        + " --checkpoint-interval-ms > 0)")));
    }
}
