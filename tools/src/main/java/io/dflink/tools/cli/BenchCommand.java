package io.dflink.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dflink bench}: the benchmark commands, each printing a table and writing a report. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks that print a table and write a JSON report and plots.",
        subcommands = {
            FdaBenchCommand.class,
            AdmmBenchCommand.class,
            LoraBenchCommand.class,
            IngestBenchCommand.class,
            LatencyBenchCommand.class,
            FanInBenchCommand.class,
            ScaleBenchCommand.class,
            RobustBenchCommand.class,
            AsyncBenchCommand.class,
            MqttBenchCommand.class,
            MetricsBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
