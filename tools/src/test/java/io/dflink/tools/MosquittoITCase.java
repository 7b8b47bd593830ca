package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.mqtt.MqttBridge;
import io.dflink.mqtt.MqttEndpoint;
import io.dflink.mqtt.MqttTopics;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.MqttFleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.MosquittoProcess;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.TestCertificates;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MQTT path against the real thing: a Mosquitto process with TLS (the test PKI's broker
 * certificate, trusted through the CA's PEM file) and username/password logins only. SDK devices
 * log in as {@code device}, the bridge as {@code bridge}; the servers run their rounds to the last
 * one. A wrong password and a plain-TCP connection are refused, with the broker's answer. On CI
 * Mosquitto must be there ({@code .ci/run} installs it); elsewhere the test is skipped without it.
 */
class MosquittoITCase {

    private static final String[] DEVICE = {"device", "device-pw-1"};
    private static final String[] BRIDGE = {"bridge", "bridge-pw-2"};

    @TempDir static Path dir;

    private static MosquittoProcess mosquitto;
    private static TestCertificates certs;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        if (MosquittoProcess.binary() == null) {
            assertThat(System.getenv("CI"))
                    .as("mosquitto is installed on CI (.ci/run installs the Debian package)")
                    .isNull();
            Assumptions.abort("mosquitto is not installed (apt-get install mosquitto)");
        }
        certs = TestCertificates.create(dir);
        mosquitto = MosquittoProcess.startTls(dir, certs, DEVICE, BRIDGE);
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void shouldRunTheFederationThroughMosquittoOverTlsWithPasswords() throws Exception {
        String prefix = "mosq-" + UUID.randomUUID() + ".";
        JobConfig config =
                JobOptions.parse(
                                "--bootstrap-servers", kafka.bootstrapServers(),
                                "--topic-prefix", prefix,
                                "--clients-per-server", "2",
                                "--consensus-steps", "5",
                                "--rounds", "4")
                        .toConfig();
        MqttTopics topics = MqttTopics.defaults();
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient outside = new OutsideClient(kafka.bootstrapServers());
                MqttBridge bridge =
                        MqttBridge.start(
                                new MqttBridge.Settings(
                                        endpoint(BRIDGE[0], BRIDGE[1]),
                                        topics,
                                        "mosquitto-it-bridge",
                                        config.kafkaCommon(),
                                        prefix),
                                Duration.ofSeconds(10));
                MqttFleet fleet =
                        MqttFleet.start(
                                endpoint(DEVICE[0], DEVICE[1]),
                                topics,
                                Fleet.devices(
                                        ScalarRegressionScenario.paperDefaults(3, 3, 2), 0.01, 50),
                                UpdateFormat.JSON,
                                VectorEncoding.F64)) {
            outside.sendTriangle(prefix + Topics.TOPOLOGY.name());
            Map<String, JsonNode> last =
                    outside.awaitLastModels(prefix + Topics.SERVER_MODELS.name(), 3, 120_000);
            assertThat(last.values())
                    .allSatisfy(
                            m -> {
                                assertThat(m.get("round").asLong()).isEqualTo(4);
                                assertThat(m.get("clientsAggregated").asInt()).isEqualTo(2);
                            });
            assertThat(bridge.forwarded()).isGreaterThanOrEqualTo(3 * 2 * 4);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nmosquitto log:\n" + mosquitto.log(), e);
        }
    }

    @Test
    void shouldRefuseAWrongPasswordAndPlainTcp() {
        MqttBridge.Settings wrong =
                new MqttBridge.Settings(
                        endpoint(BRIDGE[0], "not-the-password"),
                        MqttTopics.defaults(),
                        "mosquitto-it-wrong",
                        kafkaCommon(),
                        "wrong.");
        assertThatThrownBy(() -> MqttBridge.start(wrong, Duration.ofSeconds(10)))
                .hasStackTraceContaining("NOT_AUTHORIZED");
        MqttBridge.Settings plain =
                new MqttBridge.Settings(
                        new MqttEndpoint(
                                "tcp://127.0.0.1:" + mosquitto.port(), BRIDGE[0], BRIDGE[1], null),
                        MqttTopics.defaults(),
                        "mosquitto-it-plain",
                        kafkaCommon(),
                        "plain.");
        assertThatThrownBy(() -> MqttBridge.start(plain, Duration.ofSeconds(10)))
                .isInstanceOf(Exception.class);
    }

    private static java.util.Properties kafkaCommon() {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    private static MqttEndpoint endpoint(String user, String password) {
        return new MqttEndpoint(
                "ssl://127.0.0.1:" + mosquitto.port(), user, password, certs.caPem());
    }
}
