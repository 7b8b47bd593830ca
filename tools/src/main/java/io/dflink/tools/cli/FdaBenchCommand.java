package io.dflink.tools.cli;

import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.bench.FdaBenchReport;
import io.dflink.tools.bench.FdaBenchmark;
import io.dflink.tools.bench.FdaRun;
import io.dflink.tools.bench.ServerTierBenchReport;
import io.dflink.tools.bench.ServerTierBenchmark;

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
                        + " fda-<scenario>.png. With --tier SERVER: server-tier FDA instead (Always,"
                        + " Periodic, Variance on rings of 4 and 10 servers, DFL or Linear FDA"
                        + " clients): consensus messages and bytes to the target; writes"
                        + " fda-server-report.json and fda-server-<scenario>-<clients>.png. Runs the"
                        + " job's state machines in one process (no Kafka).")
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

    @Option(
            names = "--tier",
            description =
                    "CLIENT (FDA in the client phase) or SERVER (server-tier FDA) (default:"
                            + " ${DEFAULT-VALUE}).")
    Tier tier = Tier.CLIENT;

    @Option(
            names = "--server-scenarios",
            split = ",",
            description =
                    "SERVER: scenarios among 4x5-iid, 4x5-skew, 10x2-iid, 10x2-skew (default: all).")
    List<String> serverScenarios;

    @Option(
            names = "--server-periods",
            split = ",",
            description = "SERVER: Periodic's k (default: ${DEFAULT-VALUE}).")
    List<Integer> serverPeriods = new ArrayList<>(List.of(5));

    @Option(
            names = "--server-thresholds",
            split = ",",
            description = "SERVER: Variance's Θ_S (default: ${DEFAULT-VALUE}).")
    List<Double> serverThresholds = new ArrayList<>(List.of(0.01, 0.03, 0.1));

    @Option(
            names = "--server-max-interval",
            description =
                    "SERVER: Variance's most rounds between consensus periods (default:"
                            + " ${DEFAULT-VALUE}).")
    int serverMaxInterval = 10;

    @Option(
            names = "--client-threshold",
            description = "SERVER: Θ of the Linear FDA client tier (default: ${DEFAULT-VALUE}).")
    double clientThreshold = 1.0;

    @Mixin BenchOutput output = new BenchOutput();

    /** Which tier the benchmark measures. */
    enum Tier {
        CLIENT,
        SERVER
    }

    @Override
    public Integer call() throws Exception {
        if (tier == Tier.SERVER) {
            return serverTier();
        }
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
        return runClientTier(chosen);
    }

    private int runClientTier(List<FdaBenchmark.Scenario> chosen) throws Exception {
        FdaBenchmark.Result result = FdaBenchmark.run(settings(), chosen, System.out);
        FdaBenchReport.printTable(result, System.out);
        output.write(
                "fda-report.json",
                f -> FdaBenchReport.writeJson(result, f),
                d -> FdaBenchReport.writePlots(result, d));
        return 0;
    }

    private int serverTier() throws Exception {
        List<FdaBenchmark.Scenario> chosen =
                ServerTierBenchmark.SCENARIOS.stream()
                        .filter(s -> serverScenarios == null || serverScenarios.contains(s.name()))
                        .toList();
        Require.that(
                !chosen.isEmpty(),
                "server-scenarios",
                serverScenarios,
                "must name some of "
                        + ServerTierBenchmark.SCENARIOS.stream()
                                .map(FdaBenchmark.Scenario::name)
                                .toList());
        serverThresholds.forEach(t -> Require.nonNegative("server-thresholds", t));
        serverPeriods.forEach(k -> Require.atLeast("server-periods", k, 1));
        ServerTierBenchmark.Result result =
                ServerTierBenchmark.run(
                        settings(),
                        chosen,
                        ServerTierBenchmark.strategies(
                                serverPeriods, serverThresholds, serverMaxInterval, seed),
                        clientThreshold,
                        System.out);
        ServerTierBenchReport.printTable(result, System.out);
        output.write(
                "fda-server-report.json",
                f -> ServerTierBenchReport.writeJson(result, f),
                d -> ServerTierBenchReport.writePlots(result, d));
        return 0;
    }

    private FdaBenchmark.Settings settings() {
        return new FdaBenchmark.Settings(
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
    }
}
