package io.dflink.tools.cli;

import io.dflink.tools.bench.AsyncBenchReport;
import io.dflink.tools.bench.AsyncBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink bench async}: lock-step against asynchronous client phases, in device time. */
@Command(
        name = "async",
        mixinStandardHelpOptions = true,
        description =
                "Devices at their own pace on the 8x8 digits set (softmax regression,"
                        + " label-skewed, log-normal step times): held-out accuracy against"
                        + " simulated device time and against bytes for synchronous rounds,"
                        + " synchronous rounds with a quorum and timeout, FedBuff (--buffer-sizes)"
                        + " and FedAsync, over several seeds. Prints a table; writes"
                        + " async-report.json, async-time.png and async-bytes.png. Runs the job's"
                        + " state machines on a simulated clock in one process (no Kafka).")
public final class AsyncBenchCommand implements Callable<Integer> {

    @Option(names = "--servers", description = "Servers on a ring (default: ${DEFAULT-VALUE}).")
    int servers = 10;

    @Option(
            names = "--devices-per-server",
            description = "Devices per server (default: ${DEFAULT-VALUE}).")
    int devices = 10;

    @Option(
            names = "--local-steps",
            description = "Local SGD steps per training (default: ${DEFAULT-VALUE}).")
    int localSteps = 20;

    @Option(
            names = "--consensus-steps",
            description = "T_S between servers (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 3;

    @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 16;

    @Option(
            names = "--learning-rate",
            description = "Devices' SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.1;

    @Option(
            names = "--millis-per-step",
            description = "The median device's time per local step (default: ${DEFAULT-VALUE}).")
    double millisPerStep = 10;

    @Option(
            names = "--speed-spread",
            description = "Sigma of the log-normal step times (default: ${DEFAULT-VALUE}).")
    double speedSpread = 1.0;

    @Option(
            names = "--horizon-seconds",
            description = "Simulated device time per run (default: ${DEFAULT-VALUE}).")
    double horizonSeconds = 60;

    @Option(
            names = "--sample-seconds",
            description =
                    "Accuracy is measured every this much device time (default: ${DEFAULT-VALUE}).")
    double sampleSeconds = 0.5;

    @Option(
            names = "--target",
            description = "Accuracy whose time and bytes are compared (default: ${DEFAULT-VALUE}).")
    double target = 0.85;

    @Option(
            names = "--buffer-sizes",
            split = ",",
            description = "FedBuff's K values (default: ${DEFAULT-VALUE}).")
    List<Integer> bufferSizes = new ArrayList<>(List.of(2, 5, 10));

    @Option(names = "--seeds", description = "Seeds (default: ${DEFAULT-VALUE}).")
    int seeds = 3;

    @Option(names = "--seed", description = "First seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        AsyncBenchmark.Settings settings =
                new AsyncBenchmark.Settings(
                        servers,
                        devices,
                        localSteps,
                        consensusSteps,
                        batchSize,
                        learningRate,
                        millisPerStep,
                        speedSpread,
                        horizonSeconds,
                        sampleSeconds,
                        target,
                        bufferSizes,
                        seeds,
                        seed);
        AsyncBenchmark.Result result = AsyncBenchmark.run(settings, System.out);
        AsyncBenchReport.printTable(result, System.out);
        output.write(
                "async-report.json",
                f -> AsyncBenchReport.writeJson(result, f),
                d -> AsyncBenchReport.writePlots(result, d));
        return 0;
    }
}
