package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.mqtt.MqttBridge;
import io.dflink.mqtt.MqttTopics;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.embedded.EmbeddedMqtt;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.MqttFleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.OutsideClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Devices over MQTT, end to end against the embedded MQTT broker: SDK devices with one MQTT
 * connection each publish binary updates, the bridge carries them to Kafka and the models back, and
 * the servers end on the very models a Kafka fleet of the same devices reaches, bit for bit, even
 * though the bridge is stopped and restarted in the middle of the run (what it had not acknowledged
 * the broker delivers again) and bad payloads are published among the good ones (each reaches
 * dead-letter with its reason). A device that connects after the run gets the last model at once,
 * from the retained topic.
 */
class MqttBridgeITCase {

    private static final int SERVERS = 3;
    private static final int CLIENTS = 3;
    private static final int ROUNDS = 6;
    private static final ScalarRegressionScenario SCENARIO =
            ScalarRegressionScenario.paperDefaults(7, SERVERS, CLIENTS);

    private static EmbeddedKafka kafka;
    private static EmbeddedMqtt mqtt;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        mqtt = EmbeddedMqtt.start();
    }

    @AfterAll
    static void stop() {
        mqtt.close();
        kafka.close();
    }

    @Test
    void shouldLearnOverMqttExactlyAsOverKafkaThroughABridgeRestart() throws Exception {
        Map<String, double[]> overKafka = overKafka();
        String prefix = "mqtt-" + UUID.randomUUID() + ".";
        MqttTopics topics = new MqttTopics("it/" + UUID.randomUUID());
        JobConfig config = config(prefix);
        Map<String, double[]> overMqtt = new TreeMap<>();
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            MqttBridge bridge = startBridge(config, topics);
            try (MqttFleet fleet =
                    MqttFleet.start(
                            mqtt.endpoint(),
                            topics,
                            Fleet.devices(SCENARIO, 0.01, 50),
                            UpdateFormat.BINARY,
                            VectorEncoding.F64)) {
                publishBadPayloads(topics);
                outside.sendTriangle(prefix + Topics.TOPOLOGY.name());
                try (KafkaConsumer<String, String> models =
                        outside.reader(prefix + Topics.SERVER_MODELS.name())) {
                    awaitRound(models, 2, new TreeMap<>());
                    bridge.close(); // devices go on publishing to the MQTT broker meanwhile
                    Thread.sleep(500);
                    bridge = startBridge(config, topics);
                    awaitRound(models, ROUNDS, overMqtt);
                }
                assertThat(fleet.updatesSent()).isGreaterThan((long) SERVERS * CLIENTS * ROUNDS);
            } finally {
                bridge.close();
            }
            assertThat(overMqtt.keySet()).isEqualTo(overKafka.keySet());
            overKafka.forEach(
                    (s, w) ->
                            assertThat(overMqtt.get(s))
                                    .as("last model of %s, bit for bit", s)
                                    .containsExactly(w));
            assertDeadLettered(outside, prefix);
            assertLateDeviceGetsTheLastModelAtOnce(topics, overKafka);
        }
    }

    private static Map<String, double[]> overKafka() throws Exception {
        String prefix = "kafka-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix);
        Map<String, double[]> last = new TreeMap<>();
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient outside = new OutsideClient(kafka.bootstrapServers());
                Fleet fleet =
                        Fleet.start(
                                config.kafkaCommon(),
                                prefix,
                                Fleet.devices(SCENARIO, 0.01, 50),
                                new Fleet.Publishing(
                                        UpdateFormat.JSON,
                                        VectorEncoding.F64,
                                        io.dflink.security.ClientKeys.none()))) {
            outside.sendTriangle(prefix + Topics.TOPOLOGY.name());
            try (KafkaConsumer<String, String> models =
                    outside.reader(prefix + Topics.SERVER_MODELS.name())) {
                awaitRound(models, ROUNDS, last);
            }
        }
        return last;
    }

    private static JobConfig config(String prefix) {
        return JobOptions.parse(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic-prefix",
                        prefix,
                        "--clients-per-server",
                        String.valueOf(CLIENTS),
                        "--consensus-steps",
                        "5",
                        "--rounds",
                        String.valueOf(ROUNDS),
                        "--vector-encoding",
                        "F64")
                .toConfig();
    }

    private static MqttBridge startBridge(JobConfig config, MqttTopics topics) throws Exception {
        Properties common = config.kafkaCommon();
        return MqttBridge.start(
                new MqttBridge.Settings(
                        mqtt.endpoint(), topics, "it-bridge", common, config.topicPrefix()),
                Duration.ofSeconds(10));
    }

    /** Reads models until every server has published {@code round}; keeps that round's vectors. */
    private static void awaitRound(
            KafkaConsumer<String, String> models, long round, Map<String, double[]> atRound) {
        Map<String, Long> reached = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (reached.size() < SERVERS || reached.values().stream().anyMatch(r -> r < round)) {
            assertThat(System.currentTimeMillis())
                    .as("round %d in time", round)
                    .isLessThan(deadline);
            for (JsonNode m : OutsideClient.poll(models)) {
                String server = m.get("serverId").asText();
                long r = m.get("round").asLong();
                reached.merge(server, r, Math::max);
                if (r == round) {
                    atRound.put(server, OutsideClient.vector(m.get("vector")));
                }
            }
        }
    }

    /** Garbage, a binary update cut short, and a JSON update of the wrong dimension. */
    private static void publishBadPayloads(MqttTopics topics) throws Exception {
        Mqtt3AsyncClient c = mqtt.endpoint().client("it-bad-device");
        c.connect().get(10, TimeUnit.SECONDS);
        byte[] truncated =
                HexFormat.of().parseHex("df01010003000000000000000000000005"); // ends in clientId
        byte[] wrongDimension =
                ("{\"type\":\"model\",\"clientId\":\"s0-c0\",\"serverId\":\"s0\",\"round\":0,"
                                + "\"weight\":1,\"vector\":[1,2,3]}")
                        .getBytes(StandardCharsets.UTF_8);
        for (byte[] payload :
                new byte[][] {
                    "not json".getBytes(StandardCharsets.UTF_8), truncated, wrongDimension
                }) {
            c.publishWith()
                    .topic(topics.updates("s0"))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload)
                    .send()
                    .get(10, TimeUnit.SECONDS);
        }
        c.disconnect().get(10, TimeUnit.SECONDS);
    }

    private static void assertDeadLettered(OutsideClient outside, String prefix) {
        Map<String, Integer> reasons = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (reasons.size() < 3 && System.currentTimeMillis() < deadline) {
            reasons.clear();
            for (JsonNode d : outside.readAvailable(prefix + Topics.DEAD_LETTER.name())) {
                assertThat(d.get("sourceTopic").asText())
                        .isEqualTo(prefix + Topics.CLIENT_UPDATES.name());
                reasons.merge(d.get("reasonCode").asText(), 1, Integer::sum);
            }
        }
        // duplicates the broker redelivered after the restart may be there too (at least once)
        reasons.remove("DUPLICATE");
        assertThat(reasons)
                .isEqualTo(
                        Map.of("MALFORMED_JSON", 1, "MALFORMED_BINARY", 1, "WRONG_DIMENSION", 1));
    }

    private static void assertLateDeviceGetsTheLastModelAtOnce(
            MqttTopics topics, Map<String, double[]> last) throws Exception {
        BlockingQueue<byte[]> got = new ArrayBlockingQueue<>(4);
        Mqtt3AsyncClient late = mqtt.endpoint().client("it-late-device");
        late.connect().get(10, TimeUnit.SECONDS);
        late.subscribeWith()
                .topicFilter(topics.model("s1"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> got.offer(p.getPayloadAsBytes()))
                .send()
                .get(10, TimeUnit.SECONDS);
        byte[] retained = got.poll(5, TimeUnit.SECONDS);
        late.disconnect().get(10, TimeUnit.SECONDS);
        assertThat(retained).as("the retained model, at subscription").isNotNull();
        JsonNode m = new ObjectMapper().readTree(retained);
        assertThat(m.get("round").asLong()).isEqualTo(ROUNDS);
        assertThat(OutsideClient.vector(m.get("vector"))).containsExactly(last.get("s1"));
    }
}
