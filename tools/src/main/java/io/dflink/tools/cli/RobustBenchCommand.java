package io.dflink.tools.cli;

import io.dflink.tools.bench.RobustAttack;
import io.dflink.tools.bench.RobustBenchReport;
import io.dflink.tools.bench.RobustBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink bench robust}: accuracy under Byzantine devices, by aggregator. */
@Command(
        name = "robust",
        mixinStandardHelpOptions = true,
        description =
                "Byzantine devices on the 8x8 digits set (softmax regression, label-skewed):"
                        + " held-out accuracy against the fraction of Byzantine devices per server,"
                        + " for each attack (sign flip, large noise, inflated weight, a little is"
                        + " enough) and each defence (unbounded mean, bounded mean, median, trimmed"
                        + " mean, multi-Krum, centred clipping), over several seeds. Prints a table"
                        + " per attack; writes robust-report.json and robust-<attack>.png. Runs the"
                        + " job's state machines in one process (no Kafka).")
public final class RobustBenchCommand implements Callable<Integer> {

    @Option(names = "--servers", description = "Servers on a ring (default: ${DEFAULT-VALUE}).")
    int servers = 10;

    @Option(
            names = "--devices-per-server",
            description = "Devices per server (default: ${DEFAULT-VALUE}).")
    int devices = 10;

    @Option(names = "--rounds", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 20;

    @Option(
            names = "--local-steps",
            description = "Local SGD steps per round (default: ${DEFAULT-VALUE}).")
    int localSteps = 20;

    @Option(
            names = "--consensus-steps",
            description = "T_S between servers (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 5;

    @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(
            names = "--learning-rate",
            description = "Devices' SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.3;

    @Option(
            names = "--fractions",
            split = ",",
            description = "Fractions of Byzantine devices per server (default: ${DEFAULT-VALUE}).")
    List<Double> fractions = new ArrayList<>(List.of(0.0, 0.1, 0.2, 0.3));

    @Option(
            names = "--attacks",
            split = ",",
            description = "Attacks: ${COMPLETION-CANDIDATES} (default: all).")
    List<RobustAttack.Kind> attacks = new ArrayList<>(List.of(RobustAttack.Kind.values()));

    @Option(
            names = "--clip-radius",
            description = "Centred clipping's tau (default: ${DEFAULT-VALUE}).")
    double clipRadius = 1.0;

    @Option(names = "--seeds", description = "Seeds per cell (default: ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--seed", description = "First seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        RobustBenchmark.Settings settings =
                new RobustBenchmark.Settings(
                        servers,
                        devices,
                        rounds,
                        localSteps,
                        consensusSteps,
                        batchSize,
                        learningRate,
                        fractions,
                        attacks,
                        clipRadius,
                        seeds,
                        seed);
        RobustBenchmark.Result result = RobustBenchmark.run(settings, System.out);
        RobustBenchReport.printTable(result, System.out);
        output.write(
                "robust-report.json",
                f -> RobustBenchReport.writeJson(result, f),
                d -> RobustBenchReport.writePlots(result, d));
        return 0;
    }
}
