package io.dflink.tools;

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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures change nothing: the same seeded DFL run (SDK fleet, ring of 4 servers, 3 clients each,
 * T_S = 5, 14 rounds, parallelism 2, checkpoints every 200 ms) ends with bit-identical server
 * models, the same round counts and every client update counted exactly once, whether it runs
 * clean, with three task failures injected (mid client phase, mid consensus step, right after a
 * checkpoint) and exactly-once outputs, with the Kafka broker stopped and restarted mid-run
 * (RocksDB state), or stopped with a savepoint and resumed from it.
 */
class FaultToleranceITCase {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 3;
    private static final int ROUNDS = 14;

    private static EmbeddedKafka kafka;
    private static Outcome clean;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldEndWithTheCleanModelsAfterThreeInjectedTaskFailures() throws Exception {
        String run = "failures-" + UUID.randomUUID();
        String prefix = run + ".";
        JobConfig config = config(prefix, "--output-delivery", "EXACTLY_ONCE");
        FaultInjector.Log log =
                FaultInjector.register(
                        run, new FaultInjector.Plan(config.topic(Topics.CONSENSUS), 7, 10, 2, 3));
        JobIo io = FaultInjector.tap(JobIo.kafka(config), run);
        Outcome out = run(config, io, true, (job, round) -> job);
        System.out.printf("injected %s; recovery ms %s%n", log.fired, log.recoveryMillis());
        assertThat(log.fired).hasSize(3);
        assertThat(log.maxAttempt).as("restarts").isEqualTo(3);
        assertSameAsClean(out);
        // exactly-once outputs: a read_committed reader sees each (server, round) once
        assertThat(out.modelRecords).isEqualTo(SERVERS * (ROUNDS + 1));
        assertThat(out.metricsRecords).isEqualTo(SERVERS * ROUNDS);
    }

    @Test
    void shouldEndWithTheCleanModelsAfterABrokerRestart() throws Exception {
        String prefix = "broker-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix, "--state-backend", "ROCKSDB");
        boolean[] bounced = {false};
        Outcome out =
                run(
                        config,
                        JobIo.kafka(config),
                        false,
                        (job, round) -> {
                            if (round >= 5 && !bounced[0]) {
                                bounced[0] = true;
                                kafka.bounce(3_000);
                            }
                            return job;
                        });
        assertThat(bounced[0]).isTrue();
        assertSameAsClean(out);
    }

    @Test
    void shouldContinueFromASavepointWithTheSameModels() throws Exception {
        String prefix = "savepoint-" + UUID.randomUUID() + ".";
        Path dir = Files.createTempDirectory("dflink-savepoints-");
        JobConfig config = config(prefix, "--checkpoint-dir", dir.toUri().toString());
        String[] savepoint = {null};
        Outcome out =
                run(
                        config,
                        JobIo.kafka(config),
                        false,
                        (job, round) -> {
                            if (round < 6 || savepoint[0] != null) {
                                return job;
                            }
                            savepoint[0] = job.stopWithSavepoint(dir.toUri().toString());
                            return EmbeddedJob.start(config, JobIo.kafka(config), savepoint[0]);
                        });
        assertThat(savepoint[0]).isNotNull();
        assertSameAsClean(out);
    }

    // ---- the runs ----

    /** What a run produced, as an outside reader of server-models and metrics sees it. */
    record Outcome(
            Map<String, double[]> finals,
            Map<String, Long> lastRounds,
            Map<String, Integer> updatesPerServerRound,
            int modelRecords,
            int metricsRecords) {}

    /** Called with the lowest round all servers have reached; may replace the running job. */
    interface RoundAction {
        EmbeddedJob at(EmbeddedJob job, long round) throws Exception;
    }

    private static synchronized Outcome clean() throws Exception {
        if (clean == null) {
            JobConfig config = config("clean-" + UUID.randomUUID() + ".");
            clean = run(config, JobIo.kafka(config), false, (job, round) -> job);
            assertThat(clean.lastRounds.values()).containsOnly((long) ROUNDS);
        }
        return clean;
    }

    private static void assertSameAsClean(Outcome out) throws Exception {
        Outcome reference = clean();
        assertThat(out.lastRounds).isEqualTo(reference.lastRounds);
        for (String server : reference.finals.keySet()) {
            assertThat(out.finals.get(server))
                    .as("final model of %s, bit for bit", server)
                    .containsExactly(reference.finals.get(server));
        }
        // every client update counted exactly once: CLIENTS per server and round, none twice
        assertThat(out.updatesPerServerRound).hasSize(SERVERS * ROUNDS);
        assertThat(out.updatesPerServerRound.values()).containsOnly(CLIENTS);
    }

    private static Outcome run(
            JobConfig config, JobIo io, boolean committedOnly, RoundAction action)
            throws Exception {
        String prefix = config.topicPrefix();
        EmbeddedJob job = EmbeddedJob.start(config, io, null);
        Properties fleetKafka = config.kafkaCommon();
        if (committedOnly) {
            fleetKafka.put("isolation.level", "read_committed");
        }
        try (OutsideClient client = new OutsideClient(kafka.bootstrapServers());
                Fleet fleet =
                        Fleet.start(
                                fleetKafka,
                                prefix,
                                ScalarRegressionScenario.paperDefaults(11, SERVERS, CLIENTS),
                                0.01,
                                50,
                                VectorEncoding.F64)) {
            client.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(SERVERS));
            Map<String, double[]> finals = new TreeMap<>();
            Map<String, Long> rounds = new TreeMap<>();
            int modelRecords = 0;
            long deadline = System.currentTimeMillis() + 180_000;
            try (KafkaConsumer<String, String> reader =
                    client.reader(prefix + Topics.SERVER_MODELS.name(), committedOnly)) {
                while (finals.size() < SERVERS) {
                    assertThat(System.currentTimeMillis()).as("run finished").isLessThan(deadline);
                    for (JsonNode m : OutsideClient.poll(reader)) {
                        modelRecords++;
                        String server = m.get("serverId").asText();
                        rounds.merge(server, m.get("round").asLong(), Math::max);
                        if (m.get("last").asBoolean()) {
                            finals.put(server, OutsideClient.vector(m.get("vector")));
                        }
                    }
                    if (rounds.size() == SERVERS) {
                        job = action.at(job, rounds.values().stream().min(Long::compare).get());
                    }
                }
            }
            Map<String, Integer> updates = new HashMap<>();
            int metricsRecords = readMetrics(client, prefix, committedOnly, updates);
            return new Outcome(finals, rounds, updates, modelRecords, metricsRecords);
        } finally {
            job.close();
        }
    }

    /** Reads metrics until every (server, round) is there; dedupes at-least-once re-deliveries. */
    private static int readMetrics(
            OutsideClient client,
            String prefix,
            boolean committedOnly,
            Map<String, Integer> updates) {
        int records = 0;
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader =
                client.reader(prefix + Topics.METRICS.name(), committedOnly)) {
            while (updates.size() < SERVERS * ROUNDS && System.currentTimeMillis() < deadline) {
                for (JsonNode m : OutsideClient.poll(reader)) {
                    records++;
                    updates.put(
                            m.get("serverId").asText() + "|" + m.get("round").asLong(),
                            m.get("clientUpdates").asInt());
                }
            }
            // give late duplicates a moment to show up, so the count is the real one
            long settle = System.currentTimeMillis() + 1_000;
            while (System.currentTimeMillis() < settle) {
                records += OutsideClient.poll(reader).size();
            }
        }
        return records;
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
                                "ft-" + prefix,
                                "--clients-per-server",
                                String.valueOf(CLIENTS),
                                "--consensus-steps",
                                "5",
                                "--rounds",
                                String.valueOf(ROUNDS),
                                "--checkpoint-interval-ms",
                                "200",
                                "--restart-delay-ms",
                                "100",
                                "--consensus-timeout-ms",
                                "0"));
        args.addAll(List.of(extra));
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }
}
