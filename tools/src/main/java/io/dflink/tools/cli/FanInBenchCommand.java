package io.dflink.tools.cli;

import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.bench.FanInBacklogBenchmark;
import io.dflink.tools.bench.FanInBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code dflink bench fan-in}: a large fleet's small updates through the job, end to end. */
@Command(
        name = "fan-in",
        mixinStandardHelpOptions = true,
        description =
                "Runs a fleet of SDK devices that answer every round at once with a small update"
                        + " and measures the events/s the job ingests, validates and aggregates, and"
                        + " each round's duration (the worst event's end-to-end latency). Writes"
                        + " fan-in-report.json.")
public final class FanInBenchCommand implements Callable<Integer> {

    @Option(names = "--devices", description = "Devices in the fleet (default: ${DEFAULT-VALUE}).")
    int devices = 10_000;

    @Option(names = "--servers", description = "Servers (default: ${DEFAULT-VALUE}).")
    int servers = 16;

    @Option(names = "--dim", description = "Update size d (default: ${DEFAULT-VALUE}).")
    int dim = 100;

    @Option(
            names = "--rounds",
            description =
                    "Rounds; the steady-state rate is taken from the first server's half-way"
                            + " round to the first server's last, while every server runs"
                            + " (default: ${DEFAULT-VALUE}).")
    int rounds = 40;

    @Option(
            names = "--encoding",
            description = "Vector encoding of devices and job (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.F64;

    @Option(
            names = "--update-format",
            description =
                    "Value format of the devices' updates: JSON or BINARY (vectors f32 with"
                            + " --encoding F32, else f64) (default: ${DEFAULT-VALUE}).")
    UpdateFormat format = UpdateFormat.JSON;

    @Option(
            names = "--backlog",
            description =
                    "Job-only mode: write --rounds rounds of every device's update before the job"
                            + " starts and time the job draining them, against a bare"
                            + " KafkaConsumer on the same backlog; writes fan-in-backlog-report.json.")
    boolean backlog;

    @Option(
            names = "--profile",
            description =
                    "With --backlog: record the drain with Java Flight Recorder to this .jfr file"
                            + " and print the hottest methods.")
    Path profile;

    @Option(
            names = "--parallelism",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        if (backlog) {
            FanInBacklogBenchmark.Result r =
                    FanInBacklogBenchmark.run(
                            new FanInBacklogBenchmark.Settings(
                                    devices,
                                    servers,
                                    dim,
                                    rounds,
                                    format,
                                    encoding,
                                    parallelism,
                                    profile),
                            System.out);
            output.writeJson("fan-in-backlog-report.json", r);
            return 0;
        }
        Require.that(profile == null, "profile", profile, "applies to --backlog runs");
        FanInBenchmark.Result r =
                FanInBenchmark.run(
                        new FanInBenchmark.Settings(
                                devices, servers, dim, rounds, format, encoding, parallelism),
                        System.out);
        output.writeJson("fan-in-report.json", r);
        return 0;
    }
}
