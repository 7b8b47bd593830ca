package io.dflink.jobs;

import io.dflink.kafka.TopicAdmin;

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
        TopicAdmin.createMissing(
                config.kafkaCommon(), config.topicPrefix(), config.replicationFactor());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobEnvironment.configure(env, config);
        FederationTopology.build(env, config, JobIo.kafka(config));
        env.execute(config.jobName());
    }
}
