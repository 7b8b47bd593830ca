package io.dflink.tools.cli;

import io.dflink.serde.VectorEncoding;
import io.dflink.tools.bench.ScaleBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink bench scale}: DFL rounds over a grid of server counts and model sizes. */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description =
                "Runs DFL on a random regular graph for every (servers, d) of a grid, with idle SDK"
                        + " devices, and reports rounds/s, messages/s, MB/s, the heap and the keyed"
                        + " state per server (a savepoint's size), plus the time per value moved,"
                        + " which stays flat when the cost grows linearly. Writes"
                        + " scale-report.json.")
public final class ScaleBenchCommand implements Callable<Integer> {

    @Option(
            names = "--servers",
            split = ",",
            description = "Server counts (default: ${DEFAULT-VALUE}).")
    List<Integer> servers = List.of(16, 64, 256);

    @Option(
            names = "--dims",
            split = ",",
            description = "Model sizes d (default: ${DEFAULT-VALUE}).")
    List<Integer> dims = List.of(1_000, 10_000, 100_000);

    @Option(
            names = "--clients-per-server",
            description = "Devices per server (default: ${DEFAULT-VALUE}).")
    int clientsPerServer = 16;

    @Option(
            names = "--degree",
            description = "Neighbours per server, even (default: ${DEFAULT-VALUE}).")
    int degree = 4;

    @Option(
            names = "--consensus-steps",
            description = "T_S, consensus steps per round (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 2;

    @Option(names = "--rounds", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 2;

    @Option(
            names = "--encoding",
            description = "Vector encoding of devices and job (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.F32;

    @Option(
            names = "--parallelism",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--seed", description = "Graph seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        List<ScaleBenchmark.Result> r =
                ScaleBenchmark.run(
                        new ScaleBenchmark.Settings(
                                servers,
                                dims,
                                clientsPerServer,
                                degree,
                                consensusSteps,
                                rounds,
                                encoding,
                                parallelism,
                                seed),
                        System.out);
        output.writeJson("scale-report.json", r);
        return 0;
    }
}
