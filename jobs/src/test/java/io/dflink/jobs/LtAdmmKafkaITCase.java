package io.dflink.jobs;

import io.dflink.clients.ClientRuntime;
import io.dflink.clients.FederatedClient;
import io.dflink.jobs.bench.AdmmScenario;
import io.dflink.jobs.embedded.EmbeddedJob;
import io.dflink.jobs.embedded.EmbeddedKafka;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.LtAdmmReference;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.serde.VectorEncoding;

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
 * final models must equal the single-process reference of ALGORITHMS.md §4b to 1e-9; the z-exchange
 * is read back from the {@code consensus} topic and the gradient traffic from {@code metrics} as
 * plain JSON.
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
    void gradientStreamingServersMatchTheReference() throws Exception {
        AdmmScenario scenario = new AdmmScenario(SERVERS, 2, 9);
        LtAdmmReference reference = scenario.reference(ADMM);
        for (int r = 0; r < ROUNDS; r++) {
            reference.runRound();
        }
        String prefix = "admm-" + UUID.randomUUID() + ".";
        JobConfig config =
                JobOptions.parse(
                                "--bootstrap-servers", kafka.bootstrapServers(),
                                "--topic-prefix", prefix,
                                "--parallelism", "2",
                                "--vector-encoding", "ARRAY",
                                "--clients-per-server", "2",
                                "--rounds", String.valueOf(ROUNDS),
                                "--dim", String.valueOf(AdmmScenario.DIM),
                                "--algorithm", "LT_ADMM",
                                "--admm-variance", "SAGA",
                                "--admm-gamma", "0.05",
                                "--admm-beta", "0.02",
                                "--admm-tau", "3",
                                "--admm-batch-size", "4",
                                "--admm-seed", "7")
                        .toConfig();
        assertThat(config.dfl().admm()).isEqualTo(ADMM);
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient outside = new OutsideClient(kafka.bootstrapServers());
                ClientRuntime fleet =
                        new ClientRuntime(config.kafkaCommon(), prefix, VectorEncoding.ARRAY)) {
            for (List<FederatedClient> own : scenario.clients().values()) {
                own.forEach(fleet::add);
            }
            Thread runner = new Thread(fleet::run, "admm-fleet");
            runner.start();
            outside.send(
                    prefix + Topics.TOPOLOGY.name(),
                    "graph",
                    "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\"],"
                            + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s0\"]]}");
            Map<String, JsonNode> last =
                    outside.awaitLastModels(prefix + Topics.SERVER_MODELS.name(), SERVERS, 180_000);
            for (String s : scenario.servers()) {
                assertThat(OutsideClient.vector(last.get(s).get("vector")))
                        .as(s)
                        .containsExactly(reference.agent(s).x(), within(1e-9));
            }
            assertExchange(outside, prefix);
            fleet.stop();
            runner.join(10_000);
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
