package io.dflink.tools.cli;

import io.dflink.tools.fleet.ScalarRegressionScenario;

import picocli.CommandLine.Option;

/** The simulated fleet's scenario and local training, shared by {@code demo} and {@code fleet}. */
public class ScenarioOptions {

    @Option(names = "--servers", description = "Servers s0..s(N-1) (default: ${DEFAULT-VALUE}).")
    int servers = 5;

    @Option(
            names = "--clients-per-server",
            description = "Clients per server (default: ${DEFAULT-VALUE}).")
    int clientsPerServer = 5;

    @Option(
            names = "--seed",
            description = "Seed of the clients' data (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--local-steps",
            description = "T_C: client gradient steps per round (default: ${DEFAULT-VALUE}).")
    int localSteps = 250;

    @Option(
            names = "--step-size",
            description = "Client gradient step size gamma (default: ${DEFAULT-VALUE}).")
    double stepSize = 0.01;

    ScalarRegressionScenario scenario() {
        return ScalarRegressionScenario.paperDefaults(seed, servers, clientsPerServer);
    }
}
