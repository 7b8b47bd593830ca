package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.security.ClientKeys;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.testing.BadEvents;
import io.dflink.tools.testing.GdClients;
import io.dflink.tools.testing.OutsideClient;

import org.apache.flink.api.common.JobStatus;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input is dead-lettered, never absorbed. Outside clients (plain JSON, HMAC-signed with
 * their registry keys) run 8 DFL rounds on a ring of 4 servers; in the hostile run more than 10,000
 * bad events are published between the good ones: malformed and truncated JSON, wrong types,
 * missing fields, wrong dimension, NaN/±Inf, vectors over the size limit, unknown servers, unsigned
 * and badly signed updates, clients writing to a server they do not belong to, replays of old
 * rounds, duplicates, far-future rounds, mismatched record keys, and topology events with invalid
 * weights, self-loops only, unknown servers, or a disconnected graph. Every one must reach
 * dead-letter with its specific reason (counted per reason), the job must never restart (it runs
 * with no restarts allowed), and the final models must equal the clean run's bit for bit.
 */
class HostileInputITCase {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 3;
    private static final int ROUNDS = 8;
    private static final int BAD_PER_BURST = 330;
    private static final int MAX_VECTOR = 64;

    private static EmbeddedKafka kafka;

    @TempDir Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldDeadLetterEveryBadEventAndLearnExactlyAsWithoutThem() throws Exception {
        ClientKeys keys = registry();
        Path registryFile = dir.resolve("clients.json");
        keys.save(registryFile);
        Run clean = run(keys, registryFile, false);
        Run hostile = run(keys, registryFile, true);

        System.out.printf(
                "bad events sent: %d; dead-lettered per reason: %s%n",
                hostile.badSent, hostile.deadLettered);
        assertThat(hostile.badSent).isGreaterThanOrEqualTo(10_000);
        assertThat(hostile.deadLettered).isEqualTo(hostile.expected);
        assertThat(clean.deadLettered).isEmpty();
        for (String server : clean.finals.keySet()) {
            assertThat(hostile.finals.get(server))
                    .as("final model of %s, bit for bit", server)
                    .containsExactly(clean.finals.get(server));
        }
    }

    /** One run's outcome. */
    private record Run(
            Map<String, double[]> finals,
            Map<String, Integer> expected,
            Map<String, Integer> deadLettered,
            int badSent) {}

    private Run run(ClientKeys keys, Path registryFile, boolean hostile) throws Exception {
        String prefix = "fuzz-" + UUID.randomUUID() + ".";
        JobConfig config =
                JobOptions.parse(
                                "--bootstrap-servers", kafka.bootstrapServers(),
                                "--topic-prefix", prefix,
                                "--clients-per-server", String.valueOf(CLIENTS),
                                "--consensus-steps", "5",
                                "--rounds", String.valueOf(ROUNDS),
                                "--max-vector-length", String.valueOf(MAX_VECTOR),
                                "--max-rounds-ahead", String.valueOf(BadEvents.MAX_ROUNDS_AHEAD),
                                "--client-registry", registryFile.toString(),
                                "--restart-attempts", "0",
                                "--consensus-timeout-ms", "0")
                        .toConfig();
        Map<String, List<double[][]>> data = GdClients.data(SERVERS, CLIENTS, 77);
        BadEvents bad = new BadEvents(keys, prefix, new SplittableRandom(5));
        Map<String, double[]> finals = new TreeMap<>();
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers())) {
            client.send(prefix + Topics.TOPOLOGY.name(), "graph", ring());
            if (hostile) {
                bad.topology(client);
            }
            Map<String, Long> answered = new HashMap<>();
            long deadline = System.currentTimeMillis() + 180_000;
            try (KafkaConsumer<String, String> reader =
                    client.reader(prefix + Topics.SERVER_MODELS.name())) {
                while (finals.size() < SERVERS) {
                    assertThat(System.currentTimeMillis()).as("run finished").isLessThan(deadline);
                    for (JsonNode m : OutsideClient.poll(reader)) {
                        String server = m.get("serverId").asText();
                        long round = m.get("round").asLong();
                        double[] w = OutsideClient.vector(m.get("vector"));
                        if (m.get("last").asBoolean()) {
                            finals.put(server, w);
                        } else if (answered.getOrDefault(server, -1L) < round) {
                            answered.put(server, round);
                            answer(client, bad, hostile, server, round, w, data.get(server));
                        }
                    }
                }
            }
            Map<String, Integer> deadLettered = readDeadLetters(client, prefix, bad.total());
            assertThat(job.client().getJobStatus().get(10, TimeUnit.SECONDS))
                    .as("the job never failed")
                    .isEqualTo(JobStatus.RUNNING);
            return new Run(finals, bad.expected, deadLettered, bad.total());
        }
    }

    /** A burst of bad events, then the good updates with one duplicate among them. */
    private static void answer(
            OutsideClient client,
            BadEvents bad,
            boolean hostile,
            String server,
            long round,
            double[] w,
            List<double[][]> clients) {
        List<ProducerRecord<String, String>> good = new ArrayList<>();
        for (int j = 0; j < clients.size(); j++) {
            double[] trained = GdClients.gd(clients.get(j), w);
            good.add(
                    bad.signed(
                            server,
                            server + "-c" + j,
                            GdClients.updateJson(
                                    server, j, round, clients.get(j).length, trained)));
        }
        if (hostile) {
            bad.burst(client, server, round, good.get(0), BAD_PER_BURST);
        }
        for (int j = 0; j < good.size(); j++) {
            client.sendAsync(good.get(j));
            if (hostile && j == 0) {
                bad.duplicate(client, good.get(0));
            }
        }
        bad.remember(server, good);
        client.flush();
    }

    private static Map<String, Integer> readDeadLetters(
            OutsideClient client, String prefix, int expectedTotal) {
        Map<String, Integer> byReason = new TreeMap<>();
        int seen = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        try (KafkaConsumer<String, String> reader =
                client.reader(prefix + Topics.DEAD_LETTER.name())) {
            while (seen < expectedTotal && System.currentTimeMillis() < deadline) {
                for (JsonNode d : OutsideClient.poll(reader)) {
                    seen++;
                    byReason.merge(d.get("reasonCode").asText(), 1, Integer::sum);
                    assertThat(d.get("reason").asText()).isNotBlank();
                }
            }
            long settle = System.currentTimeMillis() + 1_000;
            while (System.currentTimeMillis() < settle) {
                for (JsonNode d : OutsideClient.poll(reader)) {
                    byReason.merge(d.get("reasonCode").asText(), 1, Integer::sum);
                }
            }
        }
        return byReason;
    }

    private static ClientKeys registry() {
        Map<String, ClientKeys.Entry> entries = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(99);
        for (int i = 0; i < SERVERS; i++) {
            for (int j = 0; j < CLIENTS; j++) {
                entries.put("s" + i + "-c" + j, new ClientKeys.Entry("s" + i, key(rnd)));
            }
        }
        entries.put("ghost-c0", new ClientKeys.Entry("s99", key(rnd)));
        return ClientKeys.of(entries);
    }

    private static byte[] key(SplittableRandom rnd) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) rnd.nextInt(256);
        }
        return k;
    }

    static String ring() {
        return "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\",\"s3\"],"
                + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s3\"],[\"s3\",\"s0\"]]}";
    }
}
