package io.dflink.operators.core.serverfda;

import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * Server-tier FDA's settings: when the servers gossip ({@link ServerSync}), PERIODIC's period k,
 * VARIANCE's threshold Θ_S on the estimated model variance (1/M) Σ_i ‖w_i − w̄‖² (a squared
 * distance, like the client tier's Θ), the most rounds between two consensus periods (0 = no
 * bound), and the AMS sketch (depth x width, seed) that stands for a model in the estimate when it
 * is smaller than the model; smaller models travel as they are and the estimate is exact.
 */
public record ServerFdaParams(
        ServerSync sync,
        int period,
        double threshold,
        int maxInterval,
        int sketchDepth,
        int sketchWidth,
        long seed)
        implements Serializable {

    public static final int DEFAULT_SKETCH_DEPTH = 5;
    public static final int DEFAULT_SKETCH_WIDTH = 50;

    public ServerFdaParams {
        Require.present("server-sync", sync);
        Require.atLeast("server-sync-period", period, 1);
        Require.that(
                threshold >= 0 && Double.isFinite(threshold),
                "server-sync-threshold",
                threshold,
                "must be a finite number >= 0");
        Require.atLeast("server-sync-max-interval", maxInterval, 0);
        Require.atLeast("server-sync-sketch-depth", sketchDepth, 1);
        Require.atLeast("server-sync-sketch-width", sketchWidth, 1);
        Require.atLeast("server-sync-seed", seed, 0);
    }

    /** Consensus every round: today's DFL, bit for bit. */
    public static ServerFdaParams always() {
        return new ServerFdaParams(
                ServerSync.ALWAYS, 1, 0, 0, DEFAULT_SKETCH_DEPTH, DEFAULT_SKETCH_WIDTH, 1);
    }

    /** Consensus every {@code k}-th round. */
    public static ServerFdaParams periodic(int k) {
        return new ServerFdaParams(
                ServerSync.PERIODIC, k, 0, 0, DEFAULT_SKETCH_DEPTH, DEFAULT_SKETCH_WIDTH, 1);
    }

    /** Consensus when the variance estimate exceeds {@code theta}, at least every {@code max}. */
    public static ServerFdaParams variance(double theta, int maxInterval) {
        return new ServerFdaParams(
                ServerSync.VARIANCE,
                1,
                theta,
                maxInterval,
                DEFAULT_SKETCH_DEPTH,
                DEFAULT_SKETCH_WIDTH,
                1);
    }

    /** Whether a model of {@code dim} values travels as an AMS sketch (else as itself). */
    public boolean sketches(int dim) {
        return (long) sketchDepth * sketchWidth < dim;
    }

    /** Values per server in a variance message: its last consensus round, then its summary. */
    public int summaryLength(int dim) {
        return 1 + (sketches(dim) ? sketchDepth * sketchWidth : dim);
    }
}
