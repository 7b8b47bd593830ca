package io.dflink.tools.cli;

import io.dflink.jobs.FdaOptions;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.settings.Require;
import io.dflink.tools.demo.DemoReport;
import io.dflink.tools.demo.DemoResult;
import io.dflink.tools.demo.DemoRunner;
import io.dflink.tools.demo.DemoSettings;
import io.dflink.tools.demo.LoraDemoRunner;
import io.dflink.tools.fleet.LowRankScenario;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code dflink demo}: the whole system in one process (in-process Kafka, Flink MiniCluster,
 * simulated fleet) on the DFL paper's experiment; prints progress and a final table, writes a
 * convergence plot and, with {@code --report}, a JSON report.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Runs DFL (optionally with FDA in the client phase) end to end in this process:"
                        + " Kafka broker, Flink MiniCluster, ring of servers, simulated fleet.")
public final class DemoCommand implements Callable<Integer> {

    @Mixin ScenarioOptions scenario = new ScenarioOptions();

    @Option(names = "--rounds", description = "Rounds to run (default: ${DEFAULT-VALUE}).")
    long rounds = 50;

    @Option(
            names = "--consensus-steps",
            description = "T_S: server consensus steps per round (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 25;

    @Option(
            names = "--parallelism",
            description = "Parallelism of the server operator (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--plot",
            description = "Convergence plot to write (default: ${DEFAULT-VALUE}).")
    Path plot = Path.of("dflink-out", "demo-convergence.png");

    @Option(
            names = "--fda",
            description =
                    "Let FDA govern the client phase: NONE (DFL), SYNCHRONOUS, PERIODIC, NAIVE,"
                            + " LINEAR or SKETCH; --local-steps is then T_C (default: ${DEFAULT-VALUE}).")
    FdaOptions.FdaChoice fda = FdaOptions.FdaChoice.NONE;

    @Option(
            names = "--fda-threshold",
            description = "FDA's threshold Theta (default: ${DEFAULT-VALUE}).")
    double fdaThreshold = 1e-4;

    @Option(
            names = "--lora",
            description =
                    "Run decentralised LoRA instead of DFL: TAD_LORA, TAD_LORA_NO_JOINT, LORA,"
                            + " FFA_LORA or ROLORA, on the low-rank task (devices adapt a frozen"
                            + " 8 x 16 layer; the rank-2 correction is known). --local-steps are"
                            + " Adam steps per round; try --local-steps 20 --rounds 30.")
    LoraVariant lora;

    @Option(
            names = "--lora-interval",
            description =
                    "With --lora: T, rounds between factor switches (default: ${DEFAULT-VALUE}).")
    int loraInterval = 5;

    @Option(
            names = "--lora-link-probability",
            description =
                    "With --lora: p, the probability that a ring link is active in a round"
                            + " (default: ${DEFAULT-VALUE}).")
    double loraLinkProbability = 0.5;

    @Option(
            names = "--learning-rate",
            description =
                    "With --lora: the devices' Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.02;

    @Option(
            names = "--max-relative-error",
            description =
                    "With --lora: exit with status 1 unless the servers' mean relative error"
                            + " |(alpha/r) B A - dW*| / |dW*| ends below this; a smoke check.")
    Double maxRelativeError;

    @Option(
            names = "--mqtt",
            description =
                    "The devices speak MQTT to an in-process MQTT broker (Moquette), and an MQTT"
                            + " bridge carries their updates to Kafka and the models back (DFL and"
                            + " FDA; the same models as over Kafka).")
    boolean mqtt;

    @Mixin PrometheusOptions prometheus = new PrometheusOptions();

    @Option(
            names = "--ui",
            description =
                    "Serve the live web view (as `dflink ui`) during the run, at --ui-host:--ui-port.")
    boolean ui;

    @Option(
            names = "--ui-port",
            description =
                    "With --ui: the page's port (0 = any free one) (default: ${DEFAULT-VALUE}).")
    int uiPort = 8088;

    @Option(
            names = "--ui-host",
            description = "With --ui: the page's address (default: ${DEFAULT-VALUE}).")
    String uiHost = "127.0.0.1";

    @Option(
            names = "--ui-linger-seconds",
            description =
                    "With --ui: how long the page stays up after the run (default: ${DEFAULT-VALUE}).")
    long uiLingerSeconds = 120;

    @Option(names = "--report", description = "Also write a JSON report to this file.")
    Path report;

    @Option(
            names = "--max-distance",
            description =
                    "Exit with status 1 unless every server ends within this distance of"
                            + " w* = (5, 2); a smoke check.")
    Double maxDistance;

    @Option(
            names = "--max-consensus-error",
            description =
                    "Exit with status 1 unless every server ends within this distance of the"
                            + " servers' mean.")
    Double maxConsensusError;

    @Option(
            names = "--timeout-seconds",
            description = "Give up if the run takes longer (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds = 600;

    @Override
    public Integer call() throws Exception {
        Require.atLeast("ui-port", uiPort, 0);
        Require.atLeast("ui-linger-seconds", uiLingerSeconds, 0);
        if (lora != null) {
            Require.that(!mqtt, "mqtt", true, "applies to the DFL and FDA demos, not --lora");
            Require.that(!ui, "ui", true, "applies to the DFL and FDA demos, not --lora");
            Require.that(
                    prometheus.port == null,
                    "prometheus-port",
                    prometheus.port,
                    "applies to the DFL and FDA demos, not --lora");
            return runLora();
        }
        DemoSettings settings =
                new DemoSettings(
                        scenario.seed,
                        scenario.servers,
                        scenario.clientsPerServer,
                        rounds,
                        scenario.localSteps,
                        scenario.stepSize,
                        consensusSteps,
                        parallelism,
                        fda,
                        fdaThreshold);
        DemoRunner runner =
                new DemoRunner(settings, System.out, Duration.ofSeconds(timeoutSeconds));
        runner.withMetrics(prometheus.metrics());
        if (ui) {
            runner.withWebView(new DemoRunner.WebViewSettings(uiHost, uiPort, uiLingerSeconds));
        }
        DemoResult result = (mqtt ? runner.overMqtt() : runner).run();
        DemoReport.printTable(result, System.out);
        createParent(plot);
        DemoReport.writePlot(result, plot);
        System.out.printf("convergence plot: %s%n", plot);
        if (report != null) {
            createParent(report);
            DemoReport.writeJson(result, report);
            System.out.printf("report: %s%n", report);
        }
        return meetsTargets(result) ? 0 : 1;
    }

    private int runLora() throws Exception {
        LoraDemoRunner.Settings settings =
                new LoraDemoRunner.Settings(
                        LowRankScenario.defaults(
                                scenario.seed, scenario.servers, scenario.clientsPerServer),
                        new LowRankScenario.Training(16, scenario.localSteps, learningRate),
                        lora,
                        loraInterval,
                        loraLinkProbability,
                        rounds,
                        parallelism);
        LoraDemoRunner.Result result =
                new LoraDemoRunner(settings, System.out, Duration.ofSeconds(timeoutSeconds)).run();
        LoraDemoRunner.printTable(result, System.out);
        Path file = plot.resolveSibling("demo-lora.png");
        createParent(file);
        LoraDemoRunner.writePlot(result, file);
        System.out.printf("plot: %s%n", file);
        double error = LoraDemoRunner.finalError(result);
        if (maxRelativeError != null && !(error <= maxRelativeError)) {
            System.out.printf("FAILED: relative error %.3e > %.3e%n", error, maxRelativeError);
            return 1;
        }
        if (maxRelativeError != null) {
            System.out.printf("OK: relative error %.3e%n", error);
        }
        return 0;
    }

    private boolean meetsTargets(DemoResult result) {
        double distance = result.maxDistance(result.finalModels(), result.trueModel());
        double spread = result.consensusError(result.finalModels());
        boolean ok = true;
        if (maxDistance != null && !(distance <= maxDistance)) {
            System.out.printf("FAILED: max distance to w* %.3e > %.3e%n", distance, maxDistance);
            ok = false;
        }
        if (maxConsensusError != null && !(spread <= maxConsensusError)) {
            System.out.printf("FAILED: consensus error %.3e > %.3e%n", spread, maxConsensusError);
            ok = false;
        }
        if (ok && (maxDistance != null || maxConsensusError != null)) {
            System.out.printf(
                    "OK: max distance to w* %.3e, consensus error %.3e%n", distance, spread);
        }
        return ok;
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
