package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.tools.cli.DflinkCli;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.testing.OutsideClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One bad device per server, and one bad server, on the real broker and a MiniCluster, with outside
 * clients writing plain JSON. Each job runs four rings of 5 servers × 5 devices side by side (a
 * disconnected graph): a clean ring and one per attack, in which device c4 of every server sends a
 * large finite vector, an inflated weight with a wrong model, or its update sign-flipped and
 * scaled. Honest devices train to convergence on their own rows of y = 5x + 2 + noise, so the
 * optimum is w* = (5, 2). With the plain mean (and the default bounded influence) each attack
 * steers its ring away from w*, which shows the threat is real; with every robust aggregator every
 * server of every ring ends within 0.05 of w*. A Byzantine server that writes outlying iterates
 * into the consensus topic drags its ring's honest servers away under plain gossip, and under
 * clipped gossip moves them by at most T_S a_ij tau per round. {@code dflink watch} names the
 * clients the bound acted on, from the metrics topic.
 */
class RobustKafkaITCase {

    private static final int SERVERS = 5;
    private static final int CLIENTS = 5;
    private static final int STEPS = 3;
    private static final int ROUNDS = 10;
    private static final double[] OPTIMUM = {5, 2};
    private static final List<String> RINGS = List.of("clean", "large", "weight", "flip");

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
    void shouldLetEveryAttackSteerThePlainMeanAndReportWhomTheBoundClipped() throws Exception {
        String prefix = "it-" + UUID.randomUUID() + ".";
        Map<String, double[]> last = run(prefix, RINGS);
        assertRingWithin("clean", last, 0.05);
        String watched = watch(prefix);
        assertThat(watched)
                .contains("guard  large-s0")
                .contains("clipped [large-s0-c4]")
                .contains("weight bounded [weight-s0-c4]")
                .doesNotContain("guard  clean-");
        for (String attack : RINGS.subList(1, RINGS.size())) {
            for (int i = 0; i < SERVERS; i++) {
                assertThat(distanceToOptimum(last.get(server(attack, i))))
                        .as("the %s attack steers %s", attack, server(attack, i))
                        .isGreaterThan(1.0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--aggregator MEDIAN",
                "--aggregator TRIMMED_MEAN --trim-fraction 0.2",
                "--aggregator MULTI_KRUM --krum-byzantine 1",
                "--aggregator CENTERED_CLIPPING --clip-radius 0.1 --clip-iterations 20"
            })
    void shouldKeepEveryServerNearTheOptimumWithARobustAggregator(String options) throws Exception {
        Map<String, double[]> last = run(RINGS, options.split(" "));
        for (String ring : RINGS) {
            assertRingWithin(ring, last, 0.05);
        }
    }

    @Test
    void shouldLimitAByzantineServersPullWithClippedGossip() throws Exception {
        double tau = 0.05;
        Map<String, double[]> plain = run(List.of("byzantine"));
        assertThat(distanceToOptimum(plain.get(server("byzantine", 0))))
                .as("the outlying iterates drag the plain gossip")
                .isGreaterThan(1.0);
        Map<String, double[]> clipped =
                run(List.of("byzantine"), "--gossip-clip-radius", Double.toString(tau));
        // each round starts from the honest devices' optimum (they train to convergence); in
        // T_S steps the Byzantine neighbour moves s0 and s3 by at most T_S a_ij tau = tau
        double bound = STEPS * (1 / 3.) * tau + 0.01;
        for (int i = 0; i < SERVERS - 1; i++) {
            assertThat(distanceToOptimum(clipped.get(server("byzantine", i))))
                    .as("honest %s under clipped gossip", server("byzantine", i))
                    .isLessThan(bound);
        }
    }

    /**
     * Runs the rings for {@link #ROUNDS} rounds with {@code options}, answering every model with
     * the devices' updates; the servers' last models.
     */
    private Map<String, double[]> run(List<String> rings, String... options) throws Exception {
        return run("it-" + UUID.randomUUID() + ".", rings, options);
    }

    private Map<String, double[]> run(String prefix, List<String> rings, String... options)
            throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--parallelism",
                                "2",
                                "--dim",
                                "2",
                                "--consensus-steps",
                                Integer.toString(STEPS),
                                "--clients-per-server",
                                Integer.toString(CLIENTS),
                                "--rounds",
                                Integer.toString(ROUNDS),
                                "--disconnected-graphs",
                                "ALLOW"));
        args.addAll(List.of(options));
        JobConfig config = JobOptions.parse(args.toArray(String[]::new)).toConfig();
        try (EmbeddedJob job = EmbeddedJob.start(config);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers())) {
            client.send(prefix + Topics.TOPOLOGY.name(), "graph", rings(rings));
            if (rings.contains("byzantine")) {
                writeByzantineIterates(client, prefix);
            }
            return answerUntilLastRound(client, prefix, rings);
        }
    }

    /** What {@code dflink watch --from-beginning} prints about the run's topics. */
    private static String watch(String prefix) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code =
                    DflinkCli.commandLine()
                            .execute(
                                    "watch",
                                    "--bootstrap-servers",
                                    kafka.bootstrapServers(),
                                    "--topic-prefix",
                                    prefix,
                                    "--from-beginning",
                                    "--duration-seconds",
                                    "3");
            assertThat(code).isZero();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Server s4 of the byzantine ring, as an outsider: (100, -100) for every step it owes. */
    private static void writeByzantineIterates(OutsideClient client, String prefix) {
        String liar = server("byzantine", SERVERS - 1);
        for (String to : List.of(server("byzantine", 0), server("byzantine", SERVERS - 2))) {
            for (int r = 0; r < ROUNDS; r++) {
                for (int k = 0; k < STEPS; k++) {
                    client.send(
                            prefix + Topics.CONSENSUS.name(),
                            to,
                            String.format(
                                    Locale.ROOT,
                                    "{\"from\":\"%s\",\"to\":\"%s\",\"round\":%d,\"step\":%d,"
                                            + "\"kind\":\"dfl-model\",\"vector\":[100.0,-100.0]}",
                                    liar,
                                    to,
                                    r,
                                    k));
                }
            }
        }
    }

    private Map<String, double[]> answerUntilLastRound(
            OutsideClient client, String prefix, List<String> rings) {
        Map<String, double[]> last = new HashMap<>();
        Map<String, Long> answered = new HashMap<>();
        int expected = 0;
        for (String ring : rings) {
            expected += ring.equals("byzantine") ? SERVERS - 1 : SERVERS;
        }
        long deadline = System.currentTimeMillis() + 240_000;
        try (KafkaConsumer<String, String> reader =
                client.reader(prefix + Topics.SERVER_MODELS.name())) {
            while (last.size() < expected) {
                assertThat(System.currentTimeMillis())
                        .as("rounds finished in time; answered " + answered)
                        .isLessThan(deadline);
                for (JsonNode m : OutsideClient.poll(reader)) {
                    String server = m.get("serverId").asText();
                    long round = m.get("round").asLong();
                    double[] w = OutsideClient.vector(m.get("vector"));
                    if (isByzantine(server)) {
                        continue;
                    }
                    if (m.get("last").asBoolean()) {
                        last.put(server, w);
                    } else if (answered.getOrDefault(server, -1L) < round) {
                        answered.put(server, round);
                        answer(client, prefix, server, round, w);
                    }
                }
            }
        }
        return last;
    }

    /** Every device of {@code server} answers its round-{@code round} model {@code w}. */
    private static void answer(
            OutsideClient client, String prefix, String server, long round, double[] w) {
        String ring = server.substring(0, server.lastIndexOf("-s"));
        for (int j = 0; j < CLIENTS; j++) {
            double[][] rows = rows(server, j);
            double[] honest = leastSquares(rows);
            double weight = rows.length;
            double[] sent = honest;
            if (j == CLIENTS - 1) {
                switch (ring) {
                    case "large" -> sent = new double[] {1e4, -1e4};
                    case "weight" -> {
                        sent = new double[] {-5, 10};
                        weight = 1e6;
                    }
                    case "flip" ->
                            sent =
                                    new double[] {
                                        w[0] - 5 * (honest[0] - w[0]), w[1] - 5 * (honest[1] - w[1])
                                    };
                    default -> {}
                }
            }
            client.send(
                    prefix + Topics.CLIENT_UPDATES.name(),
                    server,
                    String.format(
                            Locale.ROOT,
                            "{\"type\":\"model\",\"clientId\":\"%s-c%d\",\"serverId\":\"%s\","
                                    + "\"round\":%d,\"weight\":%s,\"vector\":%s}",
                            server,
                            j,
                            server,
                            round,
                            Double.toString(weight),
                            OutsideClient.array(sent)));
        }
    }

    // ---- the devices' data and training, in plain Java ----

    /** Device j of {@code server}: 10-30 rows of y = 5x + 2 + noise over its own x range. */
    private static double[][] rows(String server, int j) {
        SplittableRandom rnd = new SplittableRandom((server + "-c" + j).hashCode());
        int n = 10 * (1 + rnd.nextInt(3));
        double lo = -1 + 1.5 * rnd.nextDouble();
        double[][] rows = new double[n][];
        for (int k = 0; k < n; k++) {
            double x = lo + 1.5 * rnd.nextDouble();
            rows[k] = new double[] {x, 5 * x + 2 + 0.05 * (rnd.nextDouble() - 0.5)};
        }
        return rows;
    }

    /** The device's least-squares fit (a, b) of y = a x + b: training to convergence. */
    private static double[] leastSquares(double[][] rows) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] r : rows) {
            sx += r[0];
            sy += r[1];
            sxx += r[0] * r[0];
            sxy += r[0] * r[1];
        }
        int n = rows.length;
        double a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {a, (sy - a * sx) / n};
    }

    // ---- rings ----

    private static String server(String ring, int i) {
        return ring + "-s" + i;
    }

    private static boolean isByzantine(String server) {
        return server.equals(server("byzantine", SERVERS - 1));
    }

    /** The rings side by side, as one graph event. */
    private static String rings(List<String> rings) {
        List<String> servers = new ArrayList<>();
        List<String> edges = new ArrayList<>();
        for (String ring : rings) {
            for (int i = 0; i < SERVERS; i++) {
                servers.add("\"" + server(ring, i) + "\"");
                edges.add(
                        "[\""
                                + server(ring, i)
                                + "\",\""
                                + server(ring, (i + 1) % SERVERS)
                                + "\"]");
            }
        }
        return "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":["
                + String.join(",", servers)
                + "],\"edges\":["
                + String.join(",", edges)
                + "]}";
    }

    private static void assertRingWithin(String ring, Map<String, double[]> last, double bound) {
        for (int i = 0; i < SERVERS; i++) {
            assertThat(distanceToOptimum(last.get(server(ring, i))))
                    .as("%s ends near w*", server(ring, i))
                    .isLessThan(bound);
        }
    }

    private static double distanceToOptimum(double[] w) {
        return Math.hypot(w[0] - OPTIMUM[0], w[1] - OPTIMUM[1]);
    }
}
