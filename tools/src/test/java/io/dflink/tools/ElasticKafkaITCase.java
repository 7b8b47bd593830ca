package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.records.Edge;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.FaultInjector;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.SdkFleetRun;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A federation that grows and shrinks while it runs, through Kafka and Flink, with server-tier FDA
 * deciding when the servers gossip: a ring of 4 servers; s4 and s5 join at round 5 (ring of 6) with
 * their devices; s2 leaves at round 10 (ring of 5; its devices stay with it, alone). The joiners'
 * first models are their established neighbours' round-5 models, weighted as the mixing matrix
 * says; every present server ends within 0.02 of w* and within 1e-6 of the others; and the same run
 * with three injected task failures (mid client phase, in the join round's consensus, after a
 * checkpoint) ends on the same models bit for bit, with the same consensus decisions.
 */
class ElasticKafkaITCase {

    private static final int ROUNDS = 16;
    private static final long GROW = 5;
    private static final long SHRINK = 10;
    private static final List<String> FOUR = List.of("s0", "s1", "s2", "s3");
    private static final List<String> SIX = List.of("s0", "s1", "s4", "s2", "s3", "s5");
    private static final List<String> FIVE = List.of("s0", "s1", "s4", "s3", "s5");

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
    void shouldGrowAndShrinkTheRingMidRunAndEndAlikeWithAndWithoutFailures() throws Exception {
        Run clean = run("elastic-" + UUID.randomUUID(), false);
        Run failed = run("elastic-failures-" + UUID.randomUUID(), true);

        for (String s : FIVE) {
            double[] w = clean.finals.get(s);
            assertThat(w[0]).as("slope of %s", s).isCloseTo(5, within(0.02));
            assertThat(w[1]).as("intercept of %s", s).isCloseTo(2, within(0.02));
            assertThat(distance(w, clean.finals.get("s0"))).as(s).isLessThan(1e-6);
            assertThat(failed.finals.get(s))
                    .as("final model of %s with failures, bit for bit", s)
                    .containsExactly(w);
        }
        Graph grown = Graph.of(SIX, ringOver(SIX));
        for (String joiner : List.of("s4", "s5")) {
            assertThat(clean.models).doesNotContainKey(joiner + "/" + (GROW - 1));
            double[] expected = weightedMean(clean, grown, joiner);
            assertThat(distance(clean.models.get(joiner + "/" + GROW), expected))
                    .as("%s's first model = its neighbours' weighted mean", joiner)
                    .isLessThan(1e-12);
        }
        assertThat(clean.decisions).containsValue(false).containsValue(true);
        assertThat(failed.decisions).isEqualTo(clean.decisions);
        assertThat(failed.estimates).as("estimates bit for bit").isEqualTo(clean.estimates);
        assertThat(clean.dead).as("no input refused").isEmpty();
    }

    /** What one run left on its topics. */
    private record Run(
            Map<String, double[]> finals,
            Map<String, double[]> models,
            Map<String, Boolean> decisions,
            Map<String, Double> estimates,
            List<JsonNode> dead) {}

    private static Run run(String id, boolean withFailures) throws Exception {
        String prefix = id + ".";
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                id,
                                "--parallelism",
                                "2",
                                "--rounds",
                                Integer.toString(ROUNDS),
                                "--clients-per-server",
                                "3",
                                "--consensus-steps",
                                "25",
                                "--server-sync",
                                "VARIANCE",
                                "--server-sync-threshold",
                                "0.01",
                                "--server-sync-max-interval",
                                "3"));
        if (withFailures) {
            args.addAll(List.of("--checkpoint-interval-ms", "200", "--restart-delay-ms", "100"));
        }
        JobConfig config = JobOptions.parse(args.toArray(String[]::new)).toConfig();
        JobIo io = JobIo.kafka(config);
        FaultInjector.Log log = null;
        if (withFailures) {
            log =
                    FaultInjector.register(
                            id,
                            new FaultInjector.Plan(
                                    config.topic(Topics.CONSENSUS), 7, GROW, 1, SHRINK + 1));
            io = FaultInjector.tap(io, id);
        }
        ScalarRegressionScenario scenario = ScalarRegressionScenario.paperDefaults(7, 6, 3);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            Map<String, JsonNode> last =
                    SdkFleetRun.untilLastModels(
                            config,
                            io,
                            Fleet.devices(scenario, 0.05, 50),
                            List.of(graph(0, FOUR), graph(GROW, SIX), graph(SHRINK, FIVE)),
                            6, // s2 runs on alone with its devices and finishes too
                            outside);
            if (log != null) {
                System.out.printf("elastic: injected %s%n", log.fired);
                assertThat(log.fired).hasSize(3);
            }
            Map<String, double[]> finals = new TreeMap<>();
            last.forEach((s, m) -> finals.put(s, OutsideClient.vector(m.get("vector"))));
            Map<String, double[]> models = new TreeMap<>();
            for (JsonNode m : outside.readAvailable(prefix + Topics.SERVER_MODELS.name())) {
                if (m.path("step").asLong() == 0) {
                    models.put(
                            m.get("serverId").asText() + "/" + m.get("round").asLong(),
                            OutsideClient.vector(m.get("vector")));
                }
            }
            Map<String, Double> estimates = new TreeMap<>();
            Map<String, Boolean> decisions = new TreeMap<>();
            for (JsonNode m : outside.readAvailable(prefix + Topics.METRICS.name())) {
                if (m.has("serverSync")) {
                    String key = m.get("serverId").asText() + "/" + m.get("round").asLong();
                    decisions.put(key, m.get("serverSync").get("consensus").asBoolean());
                    estimates.put(key, m.get("serverSync").path("variance").asDouble(-1));
                }
            }
            System.out.printf("elastic: variance estimates %s%n", estimates);
            return new Run(
                    finals,
                    models,
                    decisions,
                    estimates,
                    outside.readAvailable(prefix + Topics.DEAD_LETTER.name()));
        }
    }

    private static double[] weightedMean(Run run, Graph graph, String joiner) {
        double total = 0;
        double[] sum = new double[2];
        for (String n : graph.neighbours(joiner)) {
            if (FOUR.contains(n)) {
                double w = MixingWeights.weight(graph, joiner, n);
                double[] v = run.models.get(n + "/" + GROW);
                sum[0] += w * v[0];
                sum[1] += w * v[1];
                total += w;
            }
        }
        return new double[] {sum[0] / total, sum[1] / total};
    }

    private static String graph(long round, List<String> servers) {
        StringBuilder ids = new StringBuilder();
        StringBuilder edges = new StringBuilder();
        for (Edge e : ringOver(servers)) {
            edges.append(edges.length() == 0 ? "" : ",")
                    .append("[\"")
                    .append(e.a)
                    .append("\",\"")
                    .append(e.b)
                    .append("\"]");
        }
        for (String s : servers) {
            ids.append(ids.length() == 0 ? "" : ",").append('"').append(s).append('"');
        }
        return "{\"type\":\"graph\",\"effectiveRound\":"
                + round
                + ",\"servers\":["
                + ids
                + "],\"edges\":["
                + edges
                + "]}";
    }

    private static List<Edge> ringOver(List<String> servers) {
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            edges.add(new Edge(servers.get(i), servers.get((i + 1) % servers.size())));
        }
        return edges;
    }

    private static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
