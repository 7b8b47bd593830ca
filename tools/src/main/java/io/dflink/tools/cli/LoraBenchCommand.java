package io.dflink.tools.cli;

import io.dflink.tools.bench.LoraBenchReport;
import io.dflink.tools.bench.LoraBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dflink bench lora}: decentralised LoRA variants over random links on the digits set. */
@Command(
        name = "lora",
        mixinStandardHelpOptions = true,
        description =
                "TAD-LoRA, TAD-LoRA-no-joint, LoRA, FFA-LoRA and RoLoRA on the 8x8 digits set:"
                        + " 10 label-skewed peers adapt a frozen softmax base (trained on digits"
                        + " 0-4) over links active with probability p; sweeps p x T x variant x"
                        + " seed, checks the papers' claims, writes lora-report.json and plots."
                        + " Runs the single-process reference, which the job's servers reproduce exactly"
                        + " (LoraFederationTest).")
public final class LoraBenchCommand implements Callable<Integer> {

    @Option(names = "--peers", description = "Peers (default: ${DEFAULT-VALUE}).")
    int peers = 10;

    @Option(names = "--rounds", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds = 150;

    @Option(
            names = "--local-steps",
            description = "Local steps per round (default: ${DEFAULT-VALUE}).")
    int localSteps = 20;

    @Option(names = "--batch-size", description = "Mini-batch (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(
            names = "--learning-rate",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.01;

    @Option(names = "--rank", description = "LoRA rank r (default: ${DEFAULT-VALUE}).")
    int rank = 4;

    @Option(names = "--alpha", description = "LoRA alpha (default: ${DEFAULT-VALUE}).")
    double alpha = 8;

    @Option(
            names = "--probabilities",
            split = ",",
            description = "Link probabilities p (default: ${DEFAULT-VALUE}).")
    List<Double> probabilities = new ArrayList<>(List.of(0.5, 0.1, 0.02));

    @Option(
            names = "--intervals",
            split = ",",
            description = "Switching intervals T (default: ${DEFAULT-VALUE}).")
    List<Integer> intervals = new ArrayList<>(List.of(1, 2, 5, 10));

    @Option(names = "--seeds", split = ",", description = "Seeds (default: ${DEFAULT-VALUE}).")
    List<Long> seeds = new ArrayList<>(List.of(1L, 2L, 3L));

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        LoraBenchmark.Result result =
                LoraBenchmark.run(
                        new LoraBenchmark.Settings(
                                peers,
                                rounds,
                                localSteps,
                                batchSize,
                                learningRate,
                                rank,
                                alpha,
                                probabilities,
                                intervals,
                                seeds),
                        System.out);
        LoraBenchReport.printTable(result, System.out);
        output.write(
                "lora-report.json",
                f -> LoraBenchReport.writeJson(result, f),
                d -> LoraBenchReport.writePlots(result, d));
        return 0;
    }
}
