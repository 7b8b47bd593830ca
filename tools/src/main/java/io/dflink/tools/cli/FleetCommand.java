package io.dflink.tools.cli;

import io.dflink.clients.DevicePace;
import io.dflink.clients.FederatedClient;
import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.Topics;
import io.dflink.security.ClientKeys;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.LowRankScenario;
import io.dflink.tools.fleet.MqttFleet;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * {@code dflink fleet}: simulated devices on the client SDK, against any broker. Runs until
 * interrupted (Ctrl-C) or for {@code --duration-seconds}.
 */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description =
                "Runs simulated clients (scalar linear regression y = 5x + 2 + noise, or LoRA"
                        + " adapters on a low-rank task) that follow their server's models and"
                        + " publish updates.")
public final class FleetCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Mixin ScenarioOptions scenario = new ScenarioOptions();

    @Option(
            names = "--vector-encoding",
            description =
                    "How updates carry vectors: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.F64;

    @Option(
            names = "--update-format",
            description =
                    "Value format of the updates: JSON or BINARY (the compact layout of"
                            + " kafka-config/README.md; vectors f32 with --vector-encoding F32,"
                            + " else f64) (default: ${DEFAULT-VALUE}).")
    UpdateFormat format = UpdateFormat.JSON;

    @Option(
            names = "--client-registry",
            description =
                    "Client registry (as given to the job): sign each client's updates with its key.")
    Path clientRegistry;

    @Option(
            names = "--task",
            description =
                    "What the devices learn: SCALAR_REGRESSION (y = 5x + 2 + noise; DFL, FDA,"
                            + " LT-ADMM servers) or LOW_RANK (LoRA adapters of a frozen 8 x 16"
                            + " layer; run the job with --algorithm LORA --lora-rows 8 --lora-cols"
                            + " 16) (default: ${DEFAULT-VALUE}).")
    Task task = Task.SCALAR_REGRESSION;

    @Option(
            names = "--learning-rate",
            description = "LOW_RANK: the devices' Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.02;

    /** The simulated devices' task. */
    enum Task {
        SCALAR_REGRESSION,
        LOW_RANK
    }

    @Mixin DevicePaceOptions pace = new DevicePaceOptions();

    @Option(
            names = "--over-mqtt",
            description =
                    "The devices speak MQTT (one connection each) to the broker of --mqtt-url"
                            + " instead of Kafka; run dflink mqtt-bridge next to it.")
    boolean overMqtt;

    @Mixin MqttOptions mqtt = new MqttOptions();

    @Mixin DurationOption duration = new DurationOption();

    @Override
    public Integer call() throws Exception {
        duration.check();
        Require.atLeast("local-steps", scenario.localSteps, 1);
        Require.positive("step-size", scenario.stepSize);
        Require.positive("learning-rate", learningRate);
        pace.check();
        Require.that(
                !pace.isAsync() || task == Task.SCALAR_REGRESSION,
                "client-phase",
                "ASYNC",
                "applies to --task SCALAR_REGRESSION (asynchronous DFL), not to LoRA's rounds");
        Require.that(
                !overMqtt || (!pace.isAsync() && clientRegistry == null),
                "over-mqtt",
                true,
                "applies to lock-step devices without --client-registry");
        if (overMqtt) {
            return runOverMqtt();
        }
        ClientKeys keys =
                clientRegistry == null ? ClientKeys.none() : ClientKeys.load(clientRegistry);
        List<DevicePace> paces =
                pace.isAsync()
                        ? pace.paces(scenario.servers, scenario.clientsPerServer, scenario.seed)
                        : List.of();
        Properties common =
                kafka.connect(Topics.CLIENT_UPDATES, Topics.SERVER_MODELS, Topics.CONTROL);
        try (Fleet fleet = start(common, keys, paces)) {
            System.out.printf(
                    "fleet of %d %sclients running against %s%n",
                    scenario.servers * scenario.clientsPerServer,
                    pace.isAsync() ? "asynchronous " : "",
                    kafka.bootstrapServers());
            reportUntilDeadline(fleet::updatesSent);
        }
        return 0;
    }

    private Integer runOverMqtt() throws Exception {
        Map<String, List<FederatedClient>> devices =
                task == Task.LOW_RANK
                        ? LowRankScenario.defaults(
                                        scenario.seed, scenario.servers, scenario.clientsPerServer)
                                .devices(
                                        new LowRankScenario.Training(
                                                16, scenario.localSteps, learningRate))
                        : Fleet.devices(
                                scenario.scenario(), scenario.stepSize, scenario.localSteps);
        try (MqttFleet fleet =
                MqttFleet.start(mqtt.endpoint(), mqtt.topics(), devices, format, encoding)) {
            System.out.printf(
                    "fleet of %d clients on MQTT %s (%s)%n",
                    scenario.servers * scenario.clientsPerServer,
                    mqtt.url,
                    mqtt.topics().allUpdates());
            reportUntilDeadline(fleet::updatesSent);
        }
        return 0;
    }

    private void reportUntilDeadline(LongSupplier updatesSent) throws InterruptedException {
        long end = duration.deadlineMillis();
        long reported = -1;
        while (System.currentTimeMillis() < end) {
            Thread.sleep(1000);
            if (updatesSent.getAsLong() != reported) {
                reported = updatesSent.getAsLong();
                System.out.printf("updates sent: %d%n", reported);
            }
        }
    }

    private Fleet start(Properties common, ClientKeys keys, List<DevicePace> paces) {
        Fleet.Publishing publishing = new Fleet.Publishing(format, encoding, keys);
        if (pace.isAsync()) {
            return Fleet.startAsync(
                    common,
                    kafka.topicPrefix(),
                    scenario.scenario(),
                    scenario.stepSize,
                    scenario.localSteps,
                    paces,
                    publishing);
        }
        return task == Task.LOW_RANK
                ? Fleet.start(
                        common,
                        kafka.topicPrefix(),
                        LowRankScenario.defaults(
                                        scenario.seed, scenario.servers, scenario.clientsPerServer)
                                .devices(
                                        new LowRankScenario.Training(
                                                16, scenario.localSteps, learningRate)),
                        publishing)
                : Fleet.start(
                        common,
                        kafka.topicPrefix(),
                        scenario.scenario(),
                        scenario.stepSize,
                        scenario.localSteps,
                        publishing);
    }
}
