package io.dflink.tools.cli;

import io.dflink.jobs.FederationJob;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;

import org.apache.flink.configuration.Configuration;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code dflink run}: the DFL job against a user's Kafka, executed locally in this JVM. The same
 * options work for {@code flink run -c io.dflink.jobs.FederationJob dflink-jobs-<version>-job.jar}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the DFL job locally against your Kafka (creates missing topics first).",
            "On a Flink cluster, submit the job jar with the same options:",
            "  flink run -c io.dflink.jobs.FederationJob jobs/target/dflink-jobs-<version>-job.jar <options>"
        })
public final class RunCommand implements Callable<Integer> {

    @Mixin JobOptions options = new JobOptions();

    @Mixin PrometheusOptions prometheus = new PrometheusOptions();

    @Mixin ResumeOptions resume = new ResumeOptions();

    @Override
    public Integer call() throws Exception {
        JobConfig config = options.toConfig();
        Configuration local =
                resume.applyTo(
                        prometheus.metrics().applyTo(new Configuration()),
                        config.recovery().checkpointDir(),
                        System.out);
        options.kafka().connect();
        FederationJob.run(config, local);
        return 0;
    }
}
