package io.dflink.jobs.demo;

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
        int parallelism) {

    public DemoSettings {
        if (servers < 1
                || clientsPerServer < 1
                || rounds < 1
                || localSteps < 0
                || !(stepSize > 0)
                || consensusSteps < 0
                || parallelism < 1) {
            throw new IllegalArgumentException("demo settings out of range: " + this);
        }
    }
}
