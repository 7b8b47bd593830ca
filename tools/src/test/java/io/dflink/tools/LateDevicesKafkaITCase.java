package io.dflink.tools;

import io.dflink.clients.ClientRuntime;
import io.dflink.clients.FederatedClient;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.OutsideClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Devices that join a running federation and leave it again, without a restart: a ring of 3 servers
 * with announced membership, two devices each from the start; a third device per server starts in
 * its own runtime once round 6 is out, and stops at round 12, announcing its leave. The late
 * devices start from their servers' latest model (no update for any earlier round), each counts in
 * the rounds it is a member of, and the federation converges.
 */
class LateDevicesKafkaITCase {

    private static final int ROUNDS = 18;
    private static final long LEAVE = 12;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldStartLateDevicesFromTheLatestModelAndLetThemLeave() throws Exception {
        String prefix = "late-" + UUID.randomUUID() + ".";
        JobConfig config =
                JobOptions.parse(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                prefix,
                                "--parallelism",
                                "2",
                                "--rounds",
                                Integer.toString(ROUNDS),
                                "--membership",
                                "ANNOUNCED",
                                "--clients-per-server",
                                "2",
                                "--consensus-steps",
                                "10")
                        .toConfig();
        Map<String, List<FederatedClient>> devices =
                Fleet.devices(ScalarRegressionScenario.paperDefaults(5, 3, 3), 0.05, 50);
        long joinedAt;
        Map<String, JsonNode> last;
        try (EmbeddedJob job = EmbeddedJob.start(config, JobIo.kafka(config), null);
                OutsideClient outside = new OutsideClient(kafka.bootstrapServers());
                ClientRuntime early =
                        new ClientRuntime(config.kafkaCommon(), prefix, config.vectorEncoding());
                ClientRuntime late =
                        new ClientRuntime(config.kafkaCommon(), prefix, config.vectorEncoding())) {
            devices.values().forEach(own -> own.subList(0, 2).forEach(early::add));
            devices.values().forEach(own -> late.add(own.get(2)));
            Thread first = new Thread(early::run, "early-devices");
            first.start();
            outside.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(3));
            joinedAt = awaitRound(outside, prefix, 6);
            Thread second = new Thread(late::run, "late-devices");
            second.start();
            // a device that leaves stops answering and says so; a leave for the open round
            // takes it out of that round already
            awaitRound(outside, prefix, LEAVE);
            late.stop();
            second.join(10_000);
            for (List<FederatedClient> own : devices.values()) {
                FederatedClient d = own.get(2);
                outside.send(
                        prefix + Topics.CLIENT_UPDATES.name(),
                        d.serverId(),
                        "{\"type\":\"leave\",\"clientId\":\""
                                + d.clientId()
                                + "\",\"serverId\":\""
                                + d.serverId()
                                + "\",\"round\":"
                                + LEAVE
                                + "}");
            }
            last = outside.awaitLastModels(prefix + Topics.SERVER_MODELS.name(), 3, 180_000);
            early.stop();
            first.join(10_000);
        }
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            Map<String, Long> firstUpdate = new TreeMap<>();
            for (JsonNode u : outside.readAvailable(prefix + Topics.CLIENT_UPDATES.name())) {
                String client = u.get("clientId").asText();
                if (client.endsWith("-c2") && u.get("type").asText().equals("model")) {
                    firstUpdate.merge(client, u.get("round").asLong(), Math::min);
                }
            }
            assertThat(firstUpdate).hasSize(3);
            firstUpdate.forEach(
                    (client, round) ->
                            assertThat(round)
                                    .as(
                                            "%s's first update: from the latest model, no replay",
                                            client)
                                    .isGreaterThanOrEqualTo(joinedAt));
            Map<String, Integer> aggregated = new TreeMap<>();
            for (JsonNode m : outside.readAvailable(prefix + Topics.SERVER_MODELS.name())) {
                aggregated.merge(
                        m.get("round").asLong() + "",
                        m.get("clientsAggregated").asInt(),
                        Math::max);
            }
            assertThat(aggregated.values()).as("the late devices count").contains(3);
            assertThat(aggregated.get(Long.toString(ROUNDS)))
                    .as("after they left, two per server again")
                    .isEqualTo(2);
            List<JsonNode> dead = outside.readAvailable(prefix + Topics.DEAD_LETTER.name());
            assertThat(dead)
                    .as(
                            "at most each late device's first answer (its round closed) and its last (past its leave)")
                    .allSatisfy(
                            d ->
                                    assertThat(d.get("reasonCode").asText())
                                            .isIn("STALE_ROUND", "NOT_A_MEMBER"))
                    .hasSizeLessThanOrEqualTo(6);
        }
        for (JsonNode m : last.values()) {
            double[] w = OutsideClient.vector(m.get("vector"));
            assertThat(w[0]).isCloseTo(5, within(0.02));
            assertThat(w[1]).isCloseTo(2, within(0.02));
        }
    }

    /** Waits until every server published {@code round}; returns the highest round then seen. */
    private static long awaitRound(OutsideClient outside, String prefix, long round) {
        Map<String, Long> reached = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        try (KafkaConsumer<String, String> reader =
                outside.reader(prefix + Topics.SERVER_MODELS.name())) {
            while (System.currentTimeMillis() < deadline) {
                for (JsonNode m : OutsideClient.poll(reader)) {
                    reached.merge(m.get("serverId").asText(), m.get("round").asLong(), Math::max);
                }
                if (reached.size() == 3 && reached.values().stream().allMatch(r -> r >= round)) {
                    return reached.values().stream().max(Long::compare).orElseThrow();
                }
            }
        }
        throw new AssertionError("round " + round + " not reached: " + reached);
    }
}
