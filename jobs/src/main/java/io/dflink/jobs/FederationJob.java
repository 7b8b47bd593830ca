package io.dflink.jobs;

import io.dflink.kafka.TopicAdmin;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine;

import java.util.Arrays;

/**
 * The DFL job's entry point, for {@code flink run -c io.dflink.jobs.FederationJob dflink-job.jar
 * ARGS} and {@code dflink run ARGS}: parses the configuration, makes sure the topics exist, wires
 * the topology on Kafka and executes it.
 */
public final class FederationJob {

    private FederationJob() {}

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            // `flink run dflink-job.jar --help`: the same options as `dflink run`
            new CommandLine(new JobOptions())
                    .setCommandName(
                            "flink run -c " + FederationJob.class.getName() + " dflink-job.jar")
                    .usage(System.out);
            return;
        }
        JobOptions options = JobOptions.parse(args);
        JobConfig config = options.toConfig();
        options.kafka().connect();
        run(config);
    }

    /** Runs the job until it is cancelled (or, with a round limit, forever idle after it). */
    public static void run(JobConfig config) throws Exception {
        run(config, new Configuration());
    }

    /**
     * Runs the job with {@code environment}'s settings on top (those of the local cluster when the
     * job runs in this JVM, e.g. its metric reporters; a cluster keeps its own).
     */
    public static void run(JobConfig config, Configuration environment) throws Exception {
        TopicAdmin.createMissing(
                config.kafkaCommon(), config.topicPrefix(), config.replicationFactor());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(environment);
        JobEnvironment.configure(env, config);
        FederationTopology.build(env, config, JobIo.kafka(config));
        env.execute(config.jobName());
    }
}
