package io.dflink.tools.embedded;

import io.dflink.jobs.FederationTopology;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobEnvironment;
import io.dflink.jobs.JobIo;
import io.dflink.kafka.TopicAdmin;
import io.dflink.tools.metrics.LocalMetrics;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.concurrent.TimeUnit;

/**
 * The DFL job running in a Flink MiniCluster inside this JVM, against the configured Kafka. Used by
 * the demo and the integration tests; {@link #close()} cancels it.
 */
public final class EmbeddedJob implements AutoCloseable {

    private final JobClient client;

    private EmbeddedJob(JobClient client) {
        this.client = client;
    }

    /** Creates missing topics, then submits the job asynchronously. */
    public static EmbeddedJob start(JobConfig config) throws Exception {
        return start(config, JobIo.kafka(config), null);
    }

    /** Creates missing topics, then submits the job with {@code metrics}' reporters. */
    public static EmbeddedJob start(JobConfig config, LocalMetrics metrics) throws Exception {
        return start(config, JobIo.kafka(config), null, metrics);
    }

    /**
     * Creates missing topics, then submits the job on the given sources and sinks, restoring from
     * {@code savepoint} when it is not null.
     */
    public static EmbeddedJob start(JobConfig config, JobIo io, String savepoint) throws Exception {
        return start(config, io, savepoint, LocalMetrics.NONE);
    }

    private static EmbeddedJob start(
            JobConfig config, JobIo io, String savepoint, LocalMetrics metrics) throws Exception {
        TopicAdmin.createMissing(
                config.kafkaCommon(), config.topicPrefix(), config.replicationFactor());
        Configuration conf = metrics.applyTo(new Configuration());
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        JobEnvironment.configure(env, config);
        FederationTopology.build(env, config, io);
        return new EmbeddedJob(env.executeAsync(config.jobName()));
    }

    public JobClient client() {
        return client;
    }

    /** Takes a savepoint into {@code dir}, stops the job and returns the savepoint's path. */
    public String stopWithSavepoint(String dir) throws Exception {
        return client.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            client.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already finished or failed: nothing left to cancel
        }
    }
}
