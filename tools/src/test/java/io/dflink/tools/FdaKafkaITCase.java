package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.records.RoundMetrics;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.bench.Digits;
import io.dflink.tools.bench.FdaRun;
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

/**
 * FDA through Kafka and Flink: two servers (parallelism 2), each with three SDK clients training
 * softmax regression on label-skewed digits, Linear FDA deciding every local step. The servers'
 * decisions are read back from {@code control} and the accounting from {@code metrics} as plain
 * JSON, the way an outside program reads them; the final models, every sync decision and every
 * round's traffic must equal an in-process run of the same seeded scenario on the same state
 * machines ({@link FdaRun}) exactly; so must they after three injected task failures.
 */
class FdaKafkaITCase {

    private static final int ROUNDS = 3;

    /** Long enough to space the three injected failures rounds apart, one restart each. */
    private static final int FAILURE_ROUNDS = 7;

    private static final FdaParams FDA = FdaParams.of(FdaVariant.LINEAR, 0.5, 8, 1, 11);

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
    void shouldTriggerSyncsThroughKafkaExactlyAsTheReferenceRun() throws Exception {
        FdaRun.Setup setup = setup(ROUNDS);
        Map<String, double[]> expected = new HashMap<>();
        FdaRun.Outcome reference = FdaRun.run(setup, FDA, m -> expected.put(m.serverId, m.vector));
        assertThat(reference.metrics().stream().mapToInt(m -> m.syncs).sum())
                .as("the scenario syncs before the forced syncs")
                .isGreaterThan(2 * ROUNDS);

        String prefix = "it-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix, setup);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            assertFinalModels(
                    runFleet(config, JobIo.kafka(config), setup, outside), expected, ROUNDS);
            assertDecisions(outside, prefix, reference.metrics());
            assertAccounting(outside, prefix, reference.metrics());
        }
    }

    @Test
    void shouldChangeNoModelOnFailuresMidSyncMidConsensusAndAfterACheckpoint() throws Exception {
        FdaRun.Setup setup = setup(FAILURE_ROUNDS);
        Map<String, double[]> expected = new HashMap<>();
        FdaRun.run(setup, FDA, m -> expected.put(m.serverId, m.vector));

        String run = "fda-failures-" + UUID.randomUUID();
        JobConfig config =
                config(
                        run + ".",
                        setup,
                        "--checkpoint-interval-ms",
                        "200",
                        "--restart-delay-ms",
                        "100");
        // right after a checkpoint once round 1 is seen, first model of round 3 (a sync),
        // consensus step 2 of round 5
        FaultInjector.Log log =
                FaultInjector.register(
                        run, new FaultInjector.Plan(config.topic(Topics.CONSENSUS), 3, 5, 2, 1));
        JobIo io = FaultInjector.tap(JobIo.kafka(config), run);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            assertFinalModels(runFleet(config, io, setup, outside), expected, FAILURE_ROUNDS);
        }
        System.out.printf("FDA: injected %s; recovery ms %s%n", log.fired, log.recoveryMillis());
        assertThat(log.fired).hasSize(3);
        assertThat(log.maxAttempt).as("restarts").isEqualTo(3);
    }

    /** Runs the job and the SDK fleet until both servers published their last model. */
    private static Map<String, JsonNode> runFleet(
            JobConfig config, JobIo io, FdaRun.Setup setup, OutsideClient outside)
            throws Exception {
        return SdkFleetRun.untilLastModels(
                config,
                io,
                FdaRun.clients(setup, FDA),
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\"],"
                        + "\"edges\":[[\"s0\",\"s1\"]]}",
                outside);
    }

    private static void assertFinalModels(
            Map<String, JsonNode> last, Map<String, double[]> expected, int rounds) {
        for (String server : List.of("s0", "s1")) {
            assertThat(last.get(server).get("round").asLong()).isEqualTo(rounds);
            assertThat(OutsideClient.vector(last.get(server).get("vector")))
                    .as(server + " final model")
                    .containsExactly(expected.get(server));
        }
    }

    private static JobConfig config(String prefix, FdaRun.Setup setup, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                "fda-" + prefix,
                                "--parallelism",
                                "2",
                                "--vector-encoding",
                                "ARRAY"));
        args.addAll(List.of(extra));
        return JobOptions.parse(args.toArray(String[]::new))
                .toConfig()
                .withDfl(FdaRun.params(setup, FDA));
    }

    private static FdaRun.Setup setup(int rounds) {
        Digits.Split split = Digits.split(Digits.load(), 0.2, 3);
        return new FdaRun.Setup(
                2,
                Digits.shards(split.train(), 6, Digits.Sharding.LABEL_SKEW, 3),
                split.test(),
                rounds,
                3,
                16,
                0.3,
                FdaRun.OptimizerChoice.SGD,
                VectorEncoding.ARRAY,
                5);
    }

    /** The decisions on control: one per server and monitored step, syncs as in the reference. */
    private static void assertDecisions(
            OutsideClient outside, String prefix, List<RoundMetrics> reference) {
        int monitoredSteps = FDA.steps() - 1;
        int expected = 2 * ROUNDS * monitoredSteps;
        Map<String, Integer> syncs = new HashMap<>();
        List<JsonNode> decisions = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader =
                outside.reader(prefix + Topics.CONTROL.name())) {
            while (decisions.size() < expected && System.currentTimeMillis() < deadline) {
                decisions.addAll(OutsideClient.poll(reader));
            }
        }
        assertThat(decisions).hasSize(expected);
        for (JsonNode d : decisions) {
            assertThat(d.get("type").asText()).isIn("fda-continue", "fda-sync");
            assertThat(d.get("estimate").asDouble()).isGreaterThanOrEqualTo(0);
            if (d.get("type").asText().equals("fda-sync")) {
                assertThat(d.get("estimate").asDouble()).isGreaterThan(FDA.threshold());
                syncs.merge(
                        d.get("serverId").asText() + "/" + d.get("round").asLong(),
                        1,
                        Integer::sum);
            } else {
                assertThat(d.get("estimate").asDouble()).isLessThanOrEqualTo(FDA.threshold());
            }
        }
        for (RoundMetrics m : reference) {
            assertThat(syncs.getOrDefault(m.serverId + "/" + m.round, 0))
                    .as("variance-triggered syncs of %s round %d", m.serverId, m.round)
                    .isEqualTo(m.syncs - 1);
        }
    }

    /** Every round's traffic on the metrics topic equals the reference run's, byte for byte. */
    private static void assertAccounting(
            OutsideClient outside, String prefix, List<RoundMetrics> reference) {
        Map<String, JsonNode> seen = new HashMap<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader =
                outside.reader(prefix + Topics.METRICS.name())) {
            while (seen.size() < reference.size() && System.currentTimeMillis() < deadline) {
                for (JsonNode m : OutsideClient.poll(reader)) {
                    seen.put(m.get("serverId").asText() + "/" + m.get("round").asLong(), m);
                }
            }
        }
        for (RoundMetrics r : reference) {
            JsonNode m = seen.get(r.serverId + "/" + r.round);
            assertThat(m).as("metrics of %s round %d", r.serverId, r.round).isNotNull();
            JsonNode c = m.get("communication");
            assertThat(m.get("syncs").asInt()).isEqualTo(r.syncs);
            assertThat(m.get("localSteps").asInt()).isEqualTo(FDA.steps());
            assertThat(c.get("monitoringUp").get("bytes").asLong()).isEqualTo(r.monitoringUp.bytes);
            assertThat(c.get("modelUp").get("bytes").asLong()).isEqualTo(r.modelUp.bytes);
            assertThat(c.get("modelDown").get("bytes").asLong()).isEqualTo(r.modelDown.bytes);
            assertThat(c.get("control").get("messages").asLong()).isEqualTo(r.control.messages);
            assertThat(c.get("consensus").get("bytes").asLong()).isEqualTo(r.consensus.bytes);
        }
    }
}
