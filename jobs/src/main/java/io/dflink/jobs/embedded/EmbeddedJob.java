package io.dflink.jobs.embedded;

import io.dflink.jobs.DflTopology;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.kafka.TopicAdmin;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
        TopicAdmin.createMissing(
                config.kafkaCommon(), config.topicPrefix(), config.replicationFactor());
        Configuration conf = new Configuration();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        DflTopology.build(env, config, JobIo.kafka(config));
        return new EmbeddedJob(env.executeAsync(config.jobName()));
    }

    public JobClient client() {
        return client;
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
