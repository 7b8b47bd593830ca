package io.dflink.tools.cli;

import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.Topics;
import io.dflink.mqtt.MqttBridge;
import io.dflink.mqtt.MqttEndpoint;
import io.dflink.mqtt.MqttTopics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code dflink mqtt-bridge}: devices on an MQTT broker to and from the job's Kafka topics. */
@Command(
        name = "mqtt-bridge",
        mixinStandardHelpOptions = true,
        description =
                "Forwards devices' updates from MQTT (<prefix>/servers/<serverId>/updates, QoS 1)"
                        + " to client-updates, acknowledging each only after Kafka has it, and"
                        + " publishes every server's newest model, retained, to"
                        + " <prefix>/servers/<serverId>/model (control events to .../control).")
public final class MqttBridgeCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Mixin MqttOptions mqtt = new MqttOptions();

    @Option(
            names = "--mqtt-client-id",
            description =
                    "The bridge's MQTT client id: its persistent session, so a restarted bridge"
                            + " with the same id receives what the last one did not acknowledge"
                            + " (default: ${DEFAULT-VALUE}).")
    String clientId = "dflink-mqtt-bridge";

    @Option(
            names = "--mqtt-timeout-seconds",
            description =
                    "How long to wait for the MQTT broker's answer (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 15;

    @Mixin DurationOption duration = new DurationOption();

    @Override
    public Integer call() throws Exception {
        duration.check();
        MqttEndpoint endpoint = mqtt.endpoint(); // checked before anything connects
        MqttTopics topics = mqtt.topics();
        Properties common =
                kafka.connect(
                        Topics.CLIENT_UPDATES,
                        Topics.SERVER_MODELS,
                        Topics.CONTROL,
                        Topics.DEAD_LETTER);
        MqttBridge.Settings settings =
                new MqttBridge.Settings(endpoint, topics, clientId, common, kafka.topicPrefix());
        try (MqttBridge bridge = MqttBridge.start(settings, Duration.ofSeconds(timeoutSeconds))) {
            System.out.printf(
                    "bridging %s (%s) <-> %s%n",
                    endpoint.url(), topics.allUpdates(), kafka.bootstrapServers());
            long end = duration.deadlineMillis();
            String last = "";
            while (System.currentTimeMillis() < end && bridge.failure() == null) {
                Thread.sleep(1000);
                String line =
                        String.format(
                                "updates forwarded: %d, models published: %d, control: %d,"
                                        + " dead-lettered: %d",
                                bridge.forwarded(),
                                bridge.modelsPublished(),
                                bridge.controlPublished(),
                                bridge.deadLettered());
                if (!line.equals(last)) {
                    System.out.println(line);
                    last = line;
                }
            }
            if (bridge.failure() != null) {
                System.err.println("dflink mqtt-bridge: stopped: " + bridge.failure().getMessage());
                return 1;
            }
        }
        return 0;
    }
}
