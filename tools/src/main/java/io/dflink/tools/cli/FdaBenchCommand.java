package io.dflink.tools.cli;

import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.bench.FdaBenchReport;
import io.dflink.tools.bench.FdaBenchmark;
import io.dflink.tools.bench.FdaRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink bench fda}: FDA's communication savings on the digits set. */
@Command(
        name = "fda",
        mixinStandardHelpOptions = true,
        description =
                "FDA on the 8x8 digits set (softmax regression): Synchronous, fixed periods and"
                        + " Naive/Linear/Sketch FDA on 1 server x 10 clients and 4 servers x 5"
                        + " clients, IID and label-skewed. Prints steps, syncs and bytes to a"
                        + " held-out accuracy target; writes fda-report.json and"
                        + " fda-<scenario>.png. Runs the job's state machines in one process"
                        + " (no Kafka).")
public final class FdaBenchCommand implements Callable<Integer> {

    @Option(names = "--rounds", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 30;

    @Option(
            names = "--local-steps",
            description = "T_C: local steps per round (default: ${DEFAULT-VALUE}).")
    int localSteps = 100;

    @Option(
            names = "--consensus-steps",
            description = "T_S between servers (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 10;

    @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(
            names = "--learning-rate",
            description = "Clients' learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.3;

    @Option(
            names = "--optimizer",
            description = "Clients' optimizer, SGD or ADAM (default: ${DEFAULT-VALUE}).")
    FdaRun.OptimizerChoice optimizer = FdaRun.OptimizerChoice.SGD;

    @Option(
            names = "--periods",
            split = ",",
            description = "Fixed periods k (default: ${DEFAULT-VALUE}).")
    List<Integer> periods = new ArrayList<>(List.of(1, 10, 50));

    @Option(
            names = "--thresholds",
            split = ",",
            description = "Thresholds Theta for the FDA variants (default: ${DEFAULT-VALUE}).")
    List<Double> thresholds = new ArrayList<>(List.of(0.3, 1.0, 3.0, 10.0));

    @Option(
            names = "--variants",
            split = ",",
            description = "FDA variants (default: ${DEFAULT-VALUE}).")
    List<FdaVariant> variants =
            new ArrayList<>(List.of(FdaVariant.NAIVE, FdaVariant.LINEAR, FdaVariant.SKETCH));

    @Option(
            names = "--scenarios",
            split = ",",
            description = "Scenarios among 1x10-iid, 1x10-skew, 4x5-iid, 4x5-skew (default: all).")
    List<String> scenarios;

    @Option(
            names = "--target-fraction",
            description =
                    "Target accuracy as a fraction of the centralised model's (default: ${DEFAULT-VALUE}).")
    double targetFraction = 0.97;

    @Option(
            names = "--vector-encoding",
            description = "Encoding of vectors on the wire (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.F32;

    @Option(names = "--seed", description = "Seed of everything (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        List<FdaBenchmark.Scenario> chosen =
                FdaBenchmark.SCENARIOS.stream()
                        .filter(s -> scenarios == null || scenarios.contains(s.name()))
                        .toList();
        Require.that(
                !chosen.isEmpty(),
                "scenarios",
                scenarios,
                "must name some of "
                        + FdaBenchmark.SCENARIOS.stream()
                                .map(FdaBenchmark.Scenario::name)
                                .toList());
        FdaBenchmark.Settings settings =
                new FdaBenchmark.Settings(
                        rounds,
                        localSteps,
                        consensusSteps,
                        batchSize,
                        learningRate,
                        optimizer,
                        periods,
                        thresholds,
                        variants,
                        targetFraction,
                        encoding,
                        seed);
        FdaBenchmark.Result result = FdaBenchmark.run(settings, chosen, System.out);
        FdaBenchReport.printTable(result, System.out);
        output.write(
                "fda-report.json",
                f -> FdaBenchReport.writeJson(result, f),
                d -> FdaBenchReport.writePlots(result, d));
        return 0;
    }
}
