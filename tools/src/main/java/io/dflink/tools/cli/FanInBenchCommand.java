package io.dflink.tools.cli;

import io.dflink.serde.VectorEncoding;
import io.dflink.tools.bench.FanInBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
            names = "--parallelism",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        FanInBenchmark.Result r =
                FanInBenchmark.run(
                        new FanInBenchmark.Settings(
                                devices, servers, dim, rounds, encoding, parallelism),
                        System.out);
        output.writeJson("fan-in-report.json", r);
        return 0;
    }
}
