package io.dflink.jobs.demo;

import io.dflink.jobs.JobOptions;

/**
 * What the demo runs: the paper's experiment (5 servers x 5 clients, T_C = 250, T_S = 25) by
 * default, for {@code rounds} rounds with local step size {@code stepSize}.
 */
public record DemoSettings(
        long seed,
        int servers,
        int clientsPerServer,
        long rounds,
        int localSteps,
        double stepSize,
        int consensusSteps,
        int parallelism,
        JobOptions.FdaChoice fda,
        double fdaThreshold) {

    public DemoSettings {
        if (servers < 1
                || clientsPerServer < 1
                || rounds < 1
                || localSteps < 0
                || !(stepSize > 0)
                || consensusSteps < 0
                || parallelism < 1
                || fda == null
                || !(fdaThreshold >= 0)) {
            throw new IllegalArgumentException("demo settings out of range: " + this);
        }
    }

    /** Plain DFL, as the paper runs it. */
    public static DemoSettings dfl(
            long seed,
            int servers,
            int clientsPerServer,
            long rounds,
            int localSteps,
            double stepSize,
            int consensusSteps,
            int parallelism) {
        return new DemoSettings(
                seed,
                servers,
                clientsPerServer,
                rounds,
                localSteps,
                stepSize,
                consensusSteps,
                parallelism,
                JobOptions.FdaChoice.NONE,
                0);
    }
}
