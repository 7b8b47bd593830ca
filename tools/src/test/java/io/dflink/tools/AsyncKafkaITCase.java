package io.dflink.tools;

import io.dflink.clients.DevicePace;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.FaultInjector;
import io.dflink.tools.testing.OutsideClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The asynchronous client phase through Kafka and Flink: 5 servers on a ring, 5 SDK devices each
 * uploading deltas at their own pace (1 to 10 ms per local step: a 10x spread), devices s0-c0 and
 * s1-c0 away for three seconds mid-run. Every server ends within 0.02 of w* = (5, 2); the slow
 * devices' deltas arrive stale and are weighted down (the metrics say how stale); a delta an
 * outside JSON client bases on version 0 once the servers are far past it is dead-lettered {@code
 * TOO_STALE} with its reason, and the model never absorbs it. The run's logged client updates,
 * replayed through a job that fails mid-buffer, end on the same models bit for bit.
 */
class AsyncKafkaITCase {

    private static final int SERVERS = 5;
    private static final int CLIENTS = 5;
    private static final int ROUNDS = 20;
    private static final int MAX_STALENESS = 50;

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
    void shouldConvergeWithDevicesAtTheirOwnPaceAndDeadLetterTooStaleDeltas() throws Exception {
        Live run = live();
        for (Map.Entry<String, double[]> e : run.finals.entrySet()) {
            assertThat(e.getValue()[0]).as("slope of %s", e.getKey()).isCloseTo(5, within(0.02));
            assertThat(e.getValue()[1])
                    .as("intercept of %s", e.getKey())
                    .isCloseTo(2, within(0.02));
        }
        assertThat(run.maxStaleness).as("the slow devices' deltas arrive stale").isPositive();
        assertThat(run.dead)
                .filteredOn(d -> d.get("originalText").asText().contains("sleeper"))
                .singleElement()
                .satisfies(d -> assertThat(d.get("reasonCode").asText()).isEqualTo("TOO_STALE"))
                .satisfies(
                        d ->
                                assertThat(d.get("reason").asText())
                                        .contains("versions behind server s2"));
    }

    /**
     * The live run's logged client updates, replayed into a fresh job (same partitions, same order,
     * no devices) that fails twice: on the first delta of round 3, which lands mid-buffer, and
     * right after a checkpoint. The aggregation is a function of each server's log order, so the
     * replay ends on the live run's models bit for bit.
     */
    @Test
    void shouldEndOnTheLiveModelsBitForBitWhenItsLogIsReplayedThroughFailures() throws Exception {
        Live run = live();
        String id = "async-replay-" + UUID.randomUUID();
        String prefix = id + ".";
        JobConfig config =
                config(prefix, "--checkpoint-interval-ms", "200", "--restart-delay-ms", "100");
        FaultInjector.Log log =
                FaultInjector.register(
                        id, new FaultInjector.Plan(config.topic(Topics.CONSENSUS), 3, -1, -1, 2));
        Map<String, double[]> finals;
        try (EmbeddedJob job =
                        EmbeddedJob.start(
                                config, FaultInjector.tap(JobIo.kafka(config), id), null);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers())) {
            client.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(SERVERS));
            copy(run.prefix + Topics.CLIENT_UPDATES.name(), prefix + Topics.CLIENT_UPDATES.name());
            finals = lastModels(client, prefix, m -> {});
        }
        System.out.printf("injected %s%n", log.fired);
        assertThat(log.fired).hasSize(2);
        assertThat(finals.keySet()).isEqualTo(run.finals.keySet());
        for (String server : run.finals.keySet()) {
            assertThat(finals.get(server))
                    .as("final model of %s, bit for bit", server)
                    .containsExactly(run.finals.get(server));
        }
    }

    // ---- the live run, shared by the tests ----

    private record Live(
            String prefix, Map<String, double[]> finals, long maxStaleness, List<JsonNode> dead) {}

    private static Live live;

    private static synchronized Live live() throws Exception {
        if (live == null) {
            live = runLive("async-" + UUID.randomUUID() + ".");
        }
        return live;
    }

    private static Live runLive(String prefix) throws Exception {
        JobConfig config = config(prefix);
        ScalarRegressionScenario data = new ScalarRegressionScenario(7, SERVERS, CLIENTS, 200, 0.1);
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers());
                Fleet fleet =
                        Fleet.startAsync(
                                config.kafkaCommon(),
                                prefix,
                                data,
                                0.02,
                                20,
                                paces(),
                                Fleet.Publishing.json(VectorEncoding.F64))) {
            client.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(SERVERS));
            boolean[] staleSent = {false};
            Map<String, double[]> finals =
                    lastModels(
                            client,
                            prefix,
                            m -> {
                                if (!staleSent[0]
                                        && "s2".equals(m.get("serverId").asText())
                                        && m.get("version").asLong() > MAX_STALENESS + 10) {
                                    staleSent[0] = true;
                                    client.send(
                                            prefix + Topics.CLIENT_UPDATES.name(),
                                            "s2",
                                            staleDelta());
                                }
                            });
            assertThat(staleSent[0]).isTrue();
            long maxStaleness = 0;
            for (JsonNode m : client.readAvailable(prefix + Topics.METRICS.name())) {
                if (m.has("async")) {
                    maxStaleness =
                            Math.max(maxStaleness, m.get("async").get("maxStaleness").asLong());
                }
            }
            return new Live(
                    prefix,
                    finals,
                    maxStaleness,
                    client.readAvailable(prefix + Topics.DEAD_LETTER.name()));
        }
    }

    /**
     * Reads server-models until every server's last one, showing each other model to {@code seen}.
     */
    private static Map<String, double[]> lastModels(
            OutsideClient client, String prefix, java.util.function.Consumer<JsonNode> seen) {
        Map<String, double[]> finals = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 240_000;
        try (KafkaConsumer<String, String> reader =
                client.reader(prefix + Topics.SERVER_MODELS.name())) {
            while (finals.size() < SERVERS) {
                assertThat(System.currentTimeMillis()).as("run finished").isLessThan(deadline);
                for (JsonNode m : OutsideClient.poll(reader)) {
                    if (m.get("last").asBoolean()) {
                        finals.put(
                                m.get("serverId").asText(), OutsideClient.vector(m.get("vector")));
                    } else {
                        seen.accept(m);
                    }
                }
            }
        }
        return finals;
    }

    /** Copies every record of {@code from} to the same partition of {@code to}, in order. */
    private static void copy(String from, String to) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "1");
        try (KafkaConsumer<byte[], byte[]> in = new KafkaConsumer<>(p);
                KafkaProducer<byte[], byte[]> out = new KafkaProducer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : in.partitionsFor(from)) {
                parts.add(new TopicPartition(from, i.partition()));
            }
            in.assign(parts);
            in.seekToBeginning(parts);
            Map<TopicPartition, Long> end = in.endOffsets(parts);
            long copied = 0;
            while (parts.stream().anyMatch(tp -> in.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : in.poll(Duration.ofMillis(200))) {
                    out.send(new ProducerRecord<>(to, r.partition(), r.key(), r.value()));
                    copied++;
                }
            }
            out.flush();
            assertThat(copied).as("logged client updates").isPositive();
        }
    }

    /** Device c: 1 ms per local step for c0 up to 10 ms for c4; s0-c0 and s1-c0 away 1-4 s. */
    private static List<DevicePace> paces() {
        List<DevicePace> paces = new ArrayList<>();
        for (int s = 0; s < SERVERS; s++) {
            for (int c = 0; c < CLIENTS; c++) {
                DevicePace p = DevicePace.steady(1 + 9.0 * c / (CLIENTS - 1));
                paces.add(c == 0 && s < 2 ? p.awayDuring(1_000, 4_000) : p);
            }
        }
        return paces;
    }

    /** What an outside device would send after sleeping through the whole run: far off w*. */
    private static String staleDelta() {
        return "{\"type\":\"delta\",\"clientId\":\"sleeper\",\"serverId\":\"s2\",\"round\":0,"
                + "\"baseVersion\":0,\"weight\":200,\"vector\":[1000.0,-1000.0]}";
    }

    private static JobConfig config(String prefix, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                "async-" + prefix,
                                "--client-phase",
                                "ASYNC",
                                "--async-buffer-size",
                                "5",
                                "--async-versions-per-epoch",
                                "5",
                                "--async-max-staleness",
                                String.valueOf(MAX_STALENESS),
                                "--consensus-steps",
                                "3",
                                "--rounds",
                                String.valueOf(ROUNDS),
                                "--consensus-timeout-ms",
                                "0"));
        args.addAll(List.of(extra));
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }
}
