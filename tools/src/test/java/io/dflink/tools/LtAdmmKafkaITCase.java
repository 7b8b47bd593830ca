package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.LtAdmmReference;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.tools.bench.AdmmScenario;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.testing.FaultInjector;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.SdkFleetRun;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LT-ADMM-VR through Kafka and Flink (parallelism 2): three servers on a ring as ADMM agents, each
 * with two SDK clients that stream SAGA-corrected mini-batch gradients of their digits samples. The
 * final models must equal the single-process reference of docs/algorithms.md §4b to 1e-9; the
 * z-exchange is read back from the {@code consensus} topic and the gradient traffic from {@code
 * metrics} as plain JSON.
 */
class LtAdmmKafkaITCase {

    private static final int SERVERS = 3;
    private static final int ROUNDS = 4;
    private static final AdmmParams ADMM =
            new AdmmParams(0.05, 0.02, 1, 0.5, 3, 4, VarianceReduction.SAGA, 7);

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
    void shouldMatchTheReferenceWithGradientStreamingServers() throws Exception {
        String prefix = "admm-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix, ROUNDS);
        assertThat(config.dfl().admm()).isEqualTo(ADMM);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            runAndCompare(config, JobIo.kafka(config), outside, ROUNDS);
            assertExchange(outside, prefix);
            assertGradientTraffic(outside, prefix);
        }
    }

    @Test
    void shouldChangeNoModelOnFailuresAfterACheckpointAndMidExchange() throws Exception {
        String run = "admm-failures-" + UUID.randomUUID();
        int rounds = 6;
        JobConfig config =
                config(
                        run + ".",
                        rounds,
                        "--checkpoint-interval-ms",
                        "200",
                        "--restart-delay-ms",
                        "100");
        // right after a checkpoint once round 1's exchange is seen; at round 4's exchange
        FaultInjector.Log log =
                FaultInjector.register(
                        run, new FaultInjector.Plan(config.topic(Topics.CONSENSUS), -1, 4, 0, 1));
        JobIo io = FaultInjector.tap(JobIo.kafka(config), run);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            runAndCompare(config, io, outside, rounds);
        }
        System.out.printf(
                "LT-ADMM: injected %s; recovery ms %s%n", log.fired, log.recoveryMillis());
        assertThat(log.fired).hasSize(2);
        assertThat(log.maxAttempt).as("restarts").isEqualTo(2);
    }

    private static JobConfig config(String prefix, int rounds, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", kafka.bootstrapServers(),
                                "--topic-prefix", prefix,
                                "--job-name", "admm-" + prefix,
                                "--parallelism", "2",
                                "--vector-encoding", "ARRAY",
                                "--clients-per-server", "2",
                                "--rounds", String.valueOf(rounds),
                                "--dim", String.valueOf(AdmmScenario.DIM),
                                "--algorithm", "LT_ADMM",
                                "--admm-variance", "SAGA",
                                "--admm-gamma", "0.05",
                                "--admm-beta", "0.02",
                                "--admm-tau", "3",
                                "--admm-batch-size", "4",
                                "--admm-seed", "7"));
        args.addAll(List.of(extra));
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }

    /** Runs the job and the SDK fleet to the last round; the models must equal the reference's. */
    private static void runAndCompare(JobConfig config, JobIo io, OutsideClient outside, int rounds)
            throws Exception {
        AdmmScenario scenario = new AdmmScenario(SERVERS, 2, 9);
        LtAdmmReference reference = scenario.reference(ADMM);
        for (int r = 0; r < rounds; r++) {
            reference.runRound();
        }
        Map<String, JsonNode> last =
                SdkFleetRun.untilLastModels(
                        config,
                        io,
                        scenario.clients(),
                        "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\"],"
                                + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s0\"]]}",
                        outside);
        for (String s : scenario.servers()) {
            assertThat(OutsideClient.vector(last.get(s).get("vector")))
                    .as(s)
                    .containsExactly(reference.agent(s).x(), within(1e-9));
        }
    }

    /** Every server and round: two clients x tau gradients up, two z-messages out. */
    private static void assertGradientTraffic(OutsideClient outside, String prefix) {
        List<JsonNode> metrics = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader =
                outside.reader(prefix + Topics.METRICS.name())) {
            while (metrics.size() < SERVERS * ROUNDS && System.currentTimeMillis() < deadline) {
                metrics.addAll(OutsideClient.poll(reader));
            }
        }
        assertThat(metrics).hasSize(SERVERS * ROUNDS);
        for (JsonNode m : metrics) {
            JsonNode c = m.get("communication");
            assertThat(c.get("gradientUp").get("messages").asLong()).isEqualTo(2L * ADMM.tau());
            assertThat(c.get("gradientUp").get("bytes").asLong()).isPositive();
            assertThat(c.get("consensus").get("messages").asLong()).isEqualTo(2);
            assertThat(m.get("localSteps").asInt()).isEqualTo(ADMM.tau());
        }
    }

    /** One admm-init per directed edge in round 0, one admm-z per directed edge afterwards. */
    private static void assertExchange(OutsideClient outside, String prefix) {
        int expected = SERVERS * 2 * ROUNDS;
        List<JsonNode> messages = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader =
                outside.reader(prefix + Topics.CONSENSUS.name())) {
            while (messages.size() < expected && System.currentTimeMillis() < deadline) {
                messages.addAll(OutsideClient.poll(reader));
            }
        }
        Map<String, Integer> kinds = new HashMap<>();
        for (JsonNode m : messages) {
            String kind = m.get("kind").asText();
            kinds.merge(
                    kind + "@" + (m.get("round").asLong() == 0 ? "first" : "later"),
                    1,
                    Integer::sum);
            assertThat(m.get("vector").size()).isEqualTo(AdmmScenario.DIM);
        }
        assertThat(kinds)
                .containsEntry("admm-init@first", SERVERS * 2)
                .containsEntry("admm-z@later", SERVERS * 2 * (ROUNDS - 1))
                .hasSize(2);
    }
}
