package io.dflink.tools.demo;

import io.dflink.jobs.FdaOptions;
import io.dflink.settings.Require;

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
        FdaOptions.FdaChoice fda,
        double fdaThreshold) {

    public DemoSettings {
        Require.atLeast("servers", servers, 1);
        Require.atLeast("clients-per-server", clientsPerServer, 1);
        Require.atLeast("rounds", rounds, 1);
        Require.atLeast("local-steps", localSteps, 0);
        Require.positive("step-size", stepSize);
        Require.atLeast("consensus-steps", consensusSteps, 0);
        Require.atLeast("parallelism", parallelism, 1);
        Require.present("fda", fda);
        Require.nonNegative("fda-threshold", fdaThreshold);
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
                FdaOptions.FdaChoice.NONE,
                0);
    }
}
