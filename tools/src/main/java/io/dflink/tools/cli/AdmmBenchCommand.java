package io.dflink.tools.cli;

import io.dflink.tools.bench.AdmmBenchReport;
import io.dflink.tools.bench.AdmmBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink bench admm}: LT-ADMM(-VR) against DFL-style gossip on the digits set. */
@Command(
        name = "admm",
        mixinStandardHelpOptions = true,
        description =
                "LT-ADMM, LT-ADMM-VR (VR-1, VR-2) and DFL-style gossip on the 8x8 digits set"
                        + " (L2-regularised softmax regression, label-skewed servers, a ring and a"
                        + " random graph, several tau): relative objective gap to the centralised"
                        + " optimum (Newton) per communication round. Writes admm-report.json and"
                        + " admm-<graph>-*.png.")
public final class AdmmBenchCommand implements Callable<Integer> {

    @Option(names = "--servers", description = "Servers (default: ${DEFAULT-VALUE}).")
    int servers = 10;

    @Option(names = "--rounds", description = "Communication rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 300;

    @Option(
            names = "--taus",
            split = ",",
            description = "Local steps per round (default: ${DEFAULT-VALUE}).")
    List<Integer> taus = new ArrayList<>(List.of(1, 5, 10, 20));

    @Option(names = "--gamma", description = "Local step (default: ${DEFAULT-VALUE}).")
    double gamma = 0.05;

    @Option(names = "--beta", description = "Penalty step (default: ${DEFAULT-VALUE}).")
    double beta = 0.005;

    @Option(names = "--rho", description = "Penalty (default: ${DEFAULT-VALUE}).")
    double rho = 1;

    @Option(
            names = "--batch-size",
            description = "Samples per server and step (default: ${DEFAULT-VALUE}).")
    int batchSize = 8;

    @Option(names = "--lambda", description = "L2 regularisation (default: ${DEFAULT-VALUE}).")
    double lambda = 0.01;

    @Option(
            names = "--edge-probability",
            description = "Random graph: edge probability (default: ${DEFAULT-VALUE}).")
    double edgeProbability = 0.3;

    @Option(
            names = "--target-gap",
            description = "Relative objective gap to count rounds to (default: ${DEFAULT-VALUE}).")
    double targetGap = 0.01;

    @Option(names = "--seed", description = "Seed of everything (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        AdmmBenchmark.Settings settings =
                new AdmmBenchmark.Settings(
                        servers,
                        rounds,
                        taus,
                        gamma,
                        beta,
                        rho,
                        batchSize,
                        lambda,
                        edgeProbability,
                        targetGap,
                        seed);
        AdmmBenchmark.Result result = AdmmBenchmark.run(settings, System.out);
        AdmmBenchReport.printTable(result, System.out);
        output.write(
                "admm-report.json",
                f -> AdmmBenchReport.writeJson(result, f),
                d -> AdmmBenchReport.writePlots(result, d));
        return 0;
    }
}
