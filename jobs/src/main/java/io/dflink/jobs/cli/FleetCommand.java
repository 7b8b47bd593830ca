package io.dflink.jobs.cli;

import io.dflink.jobs.KafkaOptions;
import io.dflink.jobs.fleet.Fleet;
import io.dflink.jobs.fleet.ScalarRegressionScenario;
import io.dflink.serde.VectorEncoding;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code dflink fleet}: simulated devices on the client SDK, against any broker. Runs until
 * interrupted (Ctrl-C) or for {@code --duration-seconds}.
 */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description =
                "Runs simulated clients (scalar linear regression y = 5x + 2 + noise) that follow their server's models and publish updates.")
public final class FleetCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--servers",
            description = "Servers s0..s(N-1) to serve (default: ${DEFAULT-VALUE}).")
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
            description = "T_C: local gradient steps per round (default: ${DEFAULT-VALUE}).")
    int localSteps = 250;

    @Option(
            names = "--step-size",
            description = "Local gradient step size gamma (default: ${DEFAULT-VALUE}).")
    double stepSize = 0.01;

    @Option(
            names = "--vector-encoding",
            description =
                    "How updates carry vectors: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.ARRAY;

    @Option(
            names = "--duration-seconds",
            description =
                    "Stop after this many seconds; 0 = until interrupted (default: ${DEFAULT-VALUE}).")
    long durationSeconds = 0;

    @Override
    public Integer call() throws Exception {
        ScalarRegressionScenario scenario =
                ScalarRegressionScenario.paperDefaults(seed, servers, clientsPerServer);
        try (Fleet fleet =
                Fleet.start(
                        kafka.common(),
                        kafka.topicPrefix(),
                        scenario,
                        stepSize,
                        localSteps,
                        encoding)) {
            System.out.printf(
                    "fleet of %d clients running against %s%n",
                    servers * clientsPerServer, kafka.bootstrapServers());
            long end =
                    durationSeconds > 0
                            ? System.currentTimeMillis() + durationSeconds * 1000
                            : Long.MAX_VALUE;
            long reported = -1;
            while (System.currentTimeMillis() < end) {
                Thread.sleep(1000);
                if (fleet.updatesSent() != reported) {
                    reported = fleet.updatesSent();
                    System.out.printf("updates sent: %d%n", reported);
                }
            }
        }
        return 0;
    }
}
