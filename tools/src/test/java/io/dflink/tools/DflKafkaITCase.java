package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.GdClients;
import io.dflink.tools.testing.OutsideClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The DFL job end to end on a real in-process KRaft broker and a Flink MiniCluster at parallelism
 * 2. Test clients publish JSON {@code model} updates exactly as an outside client would (plain
 * strings, see {@link OutsideClient}); after R rounds every server's model must equal an
 * independent dense-matrix reference of the same epochs to 1e-9, and bad events published between
 * the good ones must land in dead-letter with their reasons and change no model.
 */
class DflKafkaITCase {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 3;
    private static final int STEPS = 5;
    private static final int ROUNDS = 6;

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
    void shouldMatchTheReferenceEpochsAndDeadLetterBadInput() throws Exception {
        String prefix = "it-" + UUID.randomUUID() + ".";
        JobConfig config =
                config(prefix, "--parallelism", "2", "--dim", "2")
                        .withDfl(
                                ServerParams.defaults(2)
                                        .withConsensusSteps(STEPS)
                                        .withClientsPerServer(CLIENTS)
                                        .withLastRound(ROUNDS));
        Map<String, List<double[][]>> data = GdClients.data(SERVERS, CLIENTS, 2026);
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers())) {
            client.send(prefix + Topics.TOPOLOGY.name(), "graph", ringJson());
            List<String> bad = publishBadEvents(client, prefix);
            Map<String, Map<Long, double[]>> models = answerUntilLastRound(client, prefix, data);
            assertMatchesReference(models, data);
            assertDeadLettered(client, prefix, bad);
        }
    }

    @Test
    void shouldRunTheSdkFleetWithAnnouncedMembership() throws Exception {
        String prefix = "it-" + UUID.randomUUID() + ".";
        JobConfig config =
                config(
                        prefix,
                        "--membership",
                        "ANNOUNCED",
                        "--clients-per-server",
                        "2",
                        "--consensus-steps",
                        "5",
                        "--rounds",
                        "3");
        ScalarRegressionScenario scenario = ScalarRegressionScenario.paperDefaults(7, 3, 3);
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers());
                Fleet fleet =
                        Fleet.start(
                                config.kafkaCommon(),
                                prefix,
                                scenario,
                                0.01,
                                50,
                                VectorEncoding.F64)) {
            client.sendTriangle(prefix + Topics.TOPOLOGY.name());
            Map<String, JsonNode> last =
                    client.awaitLastModels(prefix + Topics.SERVER_MODELS.name(), 3, 120_000);
            // every announced client (3 per server, more than the minimum of 2) was waited for
            assertThat(last.values())
                    .allSatisfy(
                            m -> {
                                assertThat(m.get("round").asLong()).isEqualTo(3);
                                assertThat(m.get("clientsAggregated").asInt()).isEqualTo(3);
                            });
        }
    }

    /** The job's options for this test's broker and topics, plus {@code extra}. */
    private static JobConfig config(String prefix, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix));
        args.addAll(List.of(extra));
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }

    /** Follows server-models, answers each new model with every client's GD update. */
    private Map<String, Map<Long, double[]>> answerUntilLastRound(
            OutsideClient client, String prefix, Map<String, List<double[][]>> data) {
        Map<String, Map<Long, double[]>> models = new HashMap<>();
        long deadline = System.currentTimeMillis() + 180_000;
        try (KafkaConsumer<String, String> reader =
                client.reader(prefix + Topics.SERVER_MODELS.name())) {
            while (!allReached(models, ROUNDS)) {
                assertThat(System.currentTimeMillis())
                        .as("rounds finished in time")
                        .isLessThan(deadline);
                for (JsonNode m : OutsideClient.poll(reader)) {
                    String server = m.get("serverId").asText();
                    long round = m.get("round").asLong();
                    double[] w = OutsideClient.vector(m.get("vector"));
                    if (models.computeIfAbsent(server, k -> new HashMap<>()).put(round, w) == null
                            && !m.get("last").asBoolean()) {
                        answer(client, prefix, server, round, w, data.get(server));
                    }
                }
            }
        }
        return models;
    }

    private static void answer(
            OutsideClient client,
            String prefix,
            String server,
            long round,
            double[] w,
            List<double[][]> clients) {
        for (int j = 0; j < clients.size(); j++) {
            double[] trained = GdClients.gd(clients.get(j), w);
            String json = GdClients.updateJson(server, j, round, clients.get(j).length, trained);
            client.send(prefix + Topics.CLIENT_UPDATES.name(), server, json);
        }
    }

    private void assertMatchesReference(
            Map<String, Map<Long, double[]>> models, Map<String, List<double[][]>> data) {
        double[][] w = new double[SERVERS][2];
        double[][] mix = power(ringMetropolisHastings(), STEPS);
        for (int r = 0; r < ROUNDS; r++) {
            double[][] u = new double[SERVERS][];
            for (int i = 0; i < SERVERS; i++) {
                u[i] = weightedMean(data.get("s" + i), w[i]);
            }
            w = multiply(mix, u);
            for (int i = 0; i < SERVERS; i++) {
                assertThat(models.get("s" + i).get((long) r + 1))
                        .as("s%d round %d", i, r + 1)
                        .containsExactly(w[i], within(1e-9));
            }
        }
    }

    private List<String> publishBadEvents(OutsideClient client, String prefix) {
        String topic = prefix + Topics.CLIENT_UPDATES.name();
        List<String> bad =
                List.of(
                        "{\"type\":\"model\",\"clientId\":",
                        "{\"type\":\"model\",\"clientId\":\"x\",\"serverId\":\"s0\",\"round\":0,\"weight\":1,\"vector\":[1,2,3]}",
                        "{\"type\":\"model\",\"clientId\":\"x\",\"serverId\":\"s1\",\"round\":0,\"weight\":1,\"vector\":[NaN,1]}",
                        "{\"type\":\"model\",\"clientId\":\"x\",\"serverId\":\"s99\",\"round\":0,\"weight\":1,\"vector\":[1,1]}");
        List<String> keys = List.of("s0", "s0", "s1", "s99");
        for (int k = 0; k < bad.size(); k++) {
            client.send(topic, keys.get(k), bad.get(k));
        }
        return bad;
    }

    private void assertDeadLettered(OutsideClient client, String prefix, List<String> bad) {
        Map<String, String> reasonByOriginal = new HashMap<>();
        long deadline = System.currentTimeMillis() + 30_000;
        try (KafkaConsumer<String, String> reader =
                client.reader(prefix + Topics.DEAD_LETTER.name())) {
            while (reasonByOriginal.size() < bad.size() && System.currentTimeMillis() < deadline) {
                for (JsonNode d : OutsideClient.poll(reader)) {
                    String original =
                            new String(
                                    Base64.getDecoder().decode(d.get("original").asText()),
                                    StandardCharsets.UTF_8);
                    reasonByOriginal.put(original, d.get("reasonCode").asText());
                    assertThat(d.get("reason").asText()).isNotBlank();
                    assertThat(d.get("sourceTopic").asText()).endsWith("client-updates");
                }
            }
        }
        assertThat(reasonByOriginal)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                bad.get(0), "MALFORMED_JSON",
                                bad.get(1), "WRONG_DIMENSION",
                                bad.get(2), "NON_FINITE",
                                bad.get(3), "UNKNOWN_SERVER"));
    }

    // ---- the independent reference: plain loops, none of dflink's code ----

    private static double[] weightedMean(List<double[][]> clients, double[] w) {
        double[] sum = new double[2];
        double total = 0;
        for (double[][] c : clients) {
            double[] t = GdClients.gd(c, w);
            sum[0] += c.length * t[0];
            sum[1] += c.length * t[1];
            total += c.length;
        }
        return new double[] {sum[0] / total, sum[1] / total};
    }

    private static double[][] ringMetropolisHastings() {
        double[][] a = new double[SERVERS][SERVERS];
        for (int i = 0; i < SERVERS; i++) {
            a[i][i] = 1 / 3.;
            a[i][(i + 1) % SERVERS] = 1 / 3.;
            a[i][(i + SERVERS - 1) % SERVERS] = 1 / 3.;
        }
        return a;
    }

    private static double[][] power(double[][] a, int k) {
        double[][] p = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            p[i][i] = 1;
        }
        for (int t = 0; t < k; t++) {
            p = multiply(p, a);
        }
        return p;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static boolean allReached(Map<String, Map<Long, double[]>> models, long round) {
        for (int i = 0; i < SERVERS; i++) {
            Map<Long, double[]> m = models.get("s" + i);
            if (m == null || !m.containsKey(round)) {
                return false;
            }
        }
        return true;
    }

    private static String ringJson() {
        return "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\",\"s3\"],"
                + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s3\"],[\"s3\",\"s0\"]]}";
    }
}
