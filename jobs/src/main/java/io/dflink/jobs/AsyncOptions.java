package io.dflink.jobs;

import io.dflink.operators.core.async.AsyncParams;
import io.dflink.operators.core.async.StalenessWeight;

import picocli.CommandLine.Option;

/**
 * The client phase's pace ({@code --client-phase}): lock-step rounds, or asynchronous buffered
 * aggregation with staleness (FedBuff; FedAsync with a buffer of 1), and its settings.
 */
public class AsyncOptions {

    /** The client phases, as the command line names them. */
    public enum ClientPhaseChoice {
        SYNC,
        ASYNC
    }

    @Option(
            names = "--client-phase",
            description =
                    "SYNC (a round closes when its devices' models are in) or ASYNC (devices upload"
                            + " deltas at their own pace; the server applies every"
                            + " --async-buffer-size of them, staleness-weighted, and gossips every"
                            + " --async-versions-per-epoch versions); ASYNC with --algorithm DFL"
                            + " and no --fda only (default: ${DEFAULT-VALUE}).")
    ClientPhaseChoice clientPhase = ClientPhaseChoice.SYNC;

    @Option(
            names = "--async-buffer-size",
            description = "K: deltas per applied buffer; 1 = FedAsync (default: ${DEFAULT-VALUE}).")
    int bufferSize = 5;

    @Option(
            names = "--async-versions-per-epoch",
            description =
                    "V: versions between two consensus periods with the neighbours (default:"
                            + " ${DEFAULT-VALUE}).")
    int versionsPerEpoch = 5;

    @Option(
            names = "--async-server-learning-rate",
            description =
                    "eta: the server's step on the buffer's weighted mean delta; FedAsync's alpha"
                            + " with K = 1 (default: ${DEFAULT-VALUE}).")
    double serverLearningRate = 1.0;

    @Option(
            names = "--async-staleness-weight",
            description =
                    "s(tau): CONSTANT, POLYNOMIAL (1 + tau)^-a or HINGE (1 up to b, then"
                            + " 1 / (a (tau - b) + 1)) (default: ${DEFAULT-VALUE}).")
    StalenessWeight.Kind stalenessWeight = StalenessWeight.Kind.POLYNOMIAL;

    @Option(
            names = "--async-staleness-exponent",
            description = "a of POLYNOMIAL and HINGE (default: ${DEFAULT-VALUE}).")
    double stalenessExponent = 0.5;

    @Option(
            names = "--async-staleness-hinge",
            description = "b of HINGE, in versions (default: ${DEFAULT-VALUE}).")
    double stalenessHinge = 10;

    @Option(
            names = "--async-max-staleness",
            description =
                    "Deltas more versions behind than this are dead-lettered TOO_STALE (default:"
                            + " ${DEFAULT-VALUE}).")
    long maxStaleness = 50;

    boolean isAsync() {
        return clientPhase == ClientPhaseChoice.ASYNC;
    }

    AsyncParams params() {
        return new AsyncParams(
                bufferSize,
                versionsPerEpoch,
                serverLearningRate,
                new StalenessWeight(stalenessWeight, stalenessExponent, stalenessHinge),
                maxStaleness);
    }
}
