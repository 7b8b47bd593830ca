package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.lora.LinkActivation;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.records.TopologyEvent;
import io.dflink.tools.bench.Federation;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.LowRankScenario;
import io.dflink.tools.testing.FaultInjector;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.SdkFleetRun;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decentralised LoRA through Kafka and Flink (parallelism 2, float32 binary vectors): four servers
 * on a ring whose links are active with p = 0.5 per round, each with two SDK devices adapting a
 * frozen layer on the low-rank task. The final factors must equal the in-process run of the same
 * state machines ({@link Federation}) exactly, with and without injected failures; uploads,
 * consensus messages and traffic are read back as plain JSON, as an outside client would.
 */
class LoraKafkaITCase {

    private static final LowRankScenario SCENARIO = LowRankScenario.defaults(11, 4, 2);
    private static final LowRankScenario.Training TRAINING =
            new LowRankScenario.Training(16, 20, 0.02);
    private static final int ROUNDS = 8;

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
    void shouldMatchTheInProcessRunAndSpeakTheContractWithTadLoraServers() throws Exception {
        String prefix = "lora-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix, LoraVariant.TAD_LORA);
        LoraParams lora = config.dfl().lora();
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            runAndCompare(config, JobIo.kafka(config), outside);
            assertUploads(outside, prefix, lora);
            assertConsensus(outside, prefix, lora);
        }
    }

    @Test
    void shouldChangeNoFactorOnFailuresMidClientPhaseAndMidMixing() throws Exception {
        String run = "lora-failures-" + UUID.randomUUID();
        JobConfig config =
                config(
                        run + ".",
                        LoraVariant.TAD_LORA_NO_JOINT,
                        "--checkpoint-interval-ms",
                        "200",
                        "--restart-delay-ms",
                        "100");
        FaultInjector.Log log =
                FaultInjector.register(
                        run, new FaultInjector.Plan(config.topic(Topics.CONSENSUS), 3, 5, 0, 1));
        JobIo io = FaultInjector.tap(JobIo.kafka(config), run);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            runAndCompare(config, io, outside);
        }
        System.out.printf("LoRA: injected %s; recovery ms %s%n", log.fired, log.recoveryMillis());
        // the two data-driven failures always fire; the one "right after a checkpoint" only if a
        // checkpoint completes before this 8-round run ends, which a fast run may not wait for
        assertThat(log.fired)
                .anySatisfy(f -> assertThat(f).startsWith("mid client phase"))
                .anySatisfy(f -> assertThat(f).startsWith("mid consensus step"));
    }

    /**
     * Without checkpoints a failure restarts the job from the start of its input topics: the
     * servers replay the whole run while their devices, which no restart rolls back, are six rounds
     * ahead and never send those updates again. The restored servers must take the updates they
     * re-read for rounds far ahead of them (a bound of a few rounds ahead lost them and hung the
     * run), and end with the same factors.
     */
    @Test
    void shouldReplayTheRunFromTheLogAfterAFailureWithoutCheckpoints() throws Exception {
        String run = "lora-replay-" + UUID.randomUUID();
        JobConfig config =
                config(
                        run + ".",
                        LoraVariant.TAD_LORA,
                        "--checkpoint-interval-ms",
                        "0",
                        "--restart-delay-ms",
                        "100");
        FaultInjector.Log log =
                FaultInjector.register(
                        run,
                        new FaultInjector.Plan(
                                config.topic(Topics.CONSENSUS), ROUNDS - 2, -1, 0, -1));
        JobIo io = FaultInjector.tap(JobIo.kafka(config), run);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            runAndCompare(config, io, outside);
            // what the replay re-read is input the run had taken: nothing of it is refused
            assertThat(outside.readAvailable(config.topic(Topics.DEAD_LETTER)))
                    .extracting(d -> d.get("reasonCode").asText() + ": " + d.get("reason").asText())
                    .isEmpty();
        }
        assertThat(log.fired).containsExactly("mid client phase (round " + (ROUNDS - 2) + ")");
    }

    private static JobConfig config(String prefix, LoraVariant variant, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                "lora-" + prefix,
                                "--parallelism",
                                "2",
                                "--vector-encoding",
                                "F32",
                                "--clients-per-server",
                                "2",
                                "--rounds",
                                String.valueOf(ROUNDS),
                                "--algorithm",
                                "LORA",
                                "--lora-variant",
                                variant.name(),
                                "--lora-interval",
                                "2",
                                "--lora-link-probability",
                                "0.5",
                                "--lora-rank",
                                String.valueOf(SCENARIO.rank()),
                                "--lora-alpha",
                                "4",
                                "--lora-rows",
                                String.valueOf(SCENARIO.rows()),
                                "--lora-cols",
                                String.valueOf(SCENARIO.cols()),
                                "--lora-seed",
                                "3"));
        args.addAll(List.of(extra));
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }

    private static TopologyEvent ring() {
        return TopologyEvent.graph(
                0,
                SCENARIO.serverIds(),
                GraphShapes.edges(GraphShapes.Shape.RING, SCENARIO.serverIds(), 0, 0));
    }

    /** Runs the job and the SDK fleet to the last round; the factors equal the in-process run's. */
    private static void runAndCompare(JobConfig config, JobIo io, OutsideClient outside)
            throws Exception {
        LoraParams lora = config.dfl().lora();
        Map<String, double[]> expected = new TreeMap<>();
        Federation reference =
                new Federation(config.dfl(), ring(), SCENARIO.devices(TRAINING))
                        .onModel(
                                m -> {
                                    if (m.last) {
                                        expected.put(m.serverId, m.vector);
                                    }
                                });
        reference.run();
        assertThat(reference.rejected()).isEmpty();

        Map<String, JsonNode> last =
                SdkFleetRun.untilLastModels(
                        config,
                        io,
                        SCENARIO.devices(TRAINING),
                        "{\"type\":\"graph\",\"effectiveRound\":0,"
                                + "\"servers\":[\"s0\",\"s1\",\"s2\",\"s3\"],"
                                + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s3\"],"
                                + "[\"s3\",\"s0\"]]}",
                        outside);
        assertThat(last).hasSize(SCENARIO.servers());
        for (String s : SCENARIO.serverIds()) {
            double[] factors = OutsideClient.vector(last.get(s).get("vector"));
            assertThat(factors).as(s).containsExactly(expected.get(s));
            double error = SCENARIO.relativeError(lora.factors(factors), lora.scale());
            assertThat(error).as("%s learned part of dW*", s).isLessThan(0.7);
        }
    }

    /** Every device uploads only the factor of the round: B in rounds 0-1 and 4-5, else A. */
    private static void assertUploads(OutsideClient outside, String prefix, LoraParams lora) {
        int expected = SCENARIO.servers() * SCENARIO.clientsPerServer() * ROUNDS;
        List<JsonNode> ups = readAll(outside, prefix + Topics.CLIENT_UPDATES.name(), expected);
        int models = 0;
        for (JsonNode u : ups) {
            if (!"model".equals(u.get("type").asText())) {
                continue;
            }
            models++;
            long round = u.get("round").asLong();
            String factor = (round / 2) % 2 == 0 ? "B" : "A";
            assertThat(u.get("factor").asText()).as("round %d", round).isEqualTo(factor);
            assertThat(OutsideClient.vector(u.get("vector")))
                    .hasSize(factor.equals("B") ? lora.bLength() : lora.aLength());
        }
        assertThat(models).isEqualTo(expected);
    }

    /**
     * One lora-ab message per direction of each link active in the round (both ends agree on the
     * seeded draw), none over inactive links; metrics count the same.
     */
    private static void assertConsensus(OutsideClient outside, String prefix, LoraParams lora) {
        Graph ring =
                Graph.of(
                        SCENARIO.serverIds(),
                        GraphShapes.edges(GraphShapes.Shape.RING, SCENARIO.serverIds(), 0, 0));
        int expected = 0;
        for (int t = 0; t < ROUNDS; t++) {
            Graph active = LinkActivation.activeGraph(ring, 3, t, 0.5);
            for (String s : active.servers()) {
                expected += active.degree(s);
            }
        }
        assertThat(expected).as("some links active, some not").isBetween(1, 8 * ROUNDS - 1);
        List<JsonNode> messages = readAll(outside, prefix + Topics.CONSENSUS.name(), expected);
        assertThat(messages).hasSize(expected);
        for (JsonNode m : messages) {
            assertThat(m.get("kind").asText()).isEqualTo("lora-ab");
            assertThat(OutsideClient.vector(m.get("vector"))).hasSize(lora.dim());
            Graph active = LinkActivation.activeGraph(ring, 3, m.get("round").asLong(), 0.5);
            assertThat(active.neighbours(m.get("from").asText())).contains(m.get("to").asText());
        }
        List<JsonNode> metrics =
                readAll(outside, prefix + Topics.METRICS.name(), SCENARIO.servers() * ROUNDS);
        long sent = 0;
        for (JsonNode r : metrics) {
            sent += r.get("communication").get("consensus").get("messages").asLong();
        }
        assertThat(sent).isEqualTo(expected);
    }

    private static List<JsonNode> readAll(OutsideClient outside, String topic, int atLeast) {
        List<JsonNode> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader = outside.reader(topic)) {
            while (all.size() < atLeast && System.currentTimeMillis() < deadline) {
                all.addAll(OutsideClient.poll(reader));
            }
            all.addAll(OutsideClient.poll(reader)); // anything beyond what was expected
        }
        return all;
    }
}
