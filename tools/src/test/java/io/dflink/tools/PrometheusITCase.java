package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.kafka.Topics;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.metrics.LocalMetrics;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.PrometheusScrape;
import io.dflink.tools.testing.ShortRing;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The job's Flink metrics as Prometheus sees them: the job runs with {@code --prometheus-port} on
 * loopback (embedded broker, MiniCluster at parallelism 2, an SDK fleet on a ring of 4), and the
 * test scrapes {@code /metrics} over HTTP while it runs and after it finished. The dflink series
 * must be there with values that agree with the job's own topics: every server's round rising to
 * the last, the bytes per traffic kind and per edge equal to the metrics topic's totals, the
 * consensus error equal to the last model's, the hostile record counted under its reason; and every
 * metric the Grafana dashboard queries must be one the job exports.
 */
class PrometheusITCase {

    private static final String P = "flink_taskmanager_job_task_operator_";
    private static final int SERVERS = 4;
    private static final int ROUNDS = 30;

    @Test
    void shouldServeTheServersFiguresToAPrometheusScrape() throws Exception {
        String prefix = "it-" + UUID.randomUUID() + ".";
        int port = freeLoopbackPort();
        String url = "http://127.0.0.1:" + port + "/metrics";
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = ShortRing.config(kafka.bootstrapServers(), prefix, ROUNDS);
            try (EmbeddedJob job = EmbeddedJob.start(config, new LocalMetrics("127.0.0.1", port));
                    OutsideClient client = new OutsideClient(kafka.bootstrapServers());
                    Fleet fleet = ShortRing.fleet(config, SERVERS)) {
                client.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(SERVERS));
                client.send(
                        prefix + Topics.CLIENT_UPDATES.name(),
                        "s0",
                        "{\"type\":\"model\",\"clientId\":\"x\",\"serverId\":\"s0\",\"round\":0,"
                                + "\"weight\":1,\"vector\":[1,2,3]}");
                Map<String, List<Double>> seen = scrapeWhileRunning(url, client, prefix);
                assertRoundsRose(seen);
                PrometheusScrape done = awaitRounds(url, ROUNDS);
                assertAgreesWithTheMetricsTopic(
                        done, client.readAvailable(prefix + Topics.METRICS.name()));
                assertConsensusErrorOfTheLastModels(done, client, prefix);
                assertThat(done.byLabel(P + "reason_deadLetters", "reason"))
                        .containsEntry("WRONG_DIMENSION", 1.0);
                assertDashboardQueriesExportedMetrics(done);
            }
        }
    }

    /** Scrapes five times a second until every server published its last model. */
    private static Map<String, List<Double>> scrapeWhileRunning(
            String url, OutsideClient client, String prefix) throws Exception {
        Map<String, List<Double>> rounds = new HashMap<>();
        long deadline = System.currentTimeMillis() + 180_000;
        Thread awaiter =
                new Thread(
                        () ->
                                client.awaitLastModels(
                                        prefix + Topics.SERVER_MODELS.name(), SERVERS, 180_000));
        awaiter.start();
        while (awaiter.isAlive()) {
            assertThat(System.currentTimeMillis()).as("the run ended in time").isLessThan(deadline);
            try {
                PrometheusScrape s = PrometheusScrape.of(url);
                s.byLabel(P + "server_round", "server")
                        .forEach(
                                (server, r) ->
                                        rounds.computeIfAbsent(server, k -> new ArrayList<>())
                                                .add(r));
            } catch (IOException e) {
                // the reporter starts with the MiniCluster's task manager: not yet there
            }
            Thread.sleep(200);
        }
        awaiter.join();
        return rounds;
    }

    private static void assertRoundsRose(Map<String, List<Double>> seen) {
        assertThat(seen).containsOnlyKeys("s0", "s1", "s2", "s3");
        seen.forEach(
                (server, rounds) -> {
                    for (int i = 1; i < rounds.size(); i++) {
                        assertThat(rounds.get(i))
                                .as("%s's round never goes back: %s", server, rounds)
                                .isGreaterThanOrEqualTo(rounds.get(i - 1));
                    }
                    assertThat(new TreeSet<>(rounds))
                            .as("%s's round was seen rising while the job ran", server)
                            .hasSizeGreaterThan(1);
                });
    }

    private static PrometheusScrape awaitRounds(String url, int rounds) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            PrometheusScrape s = PrometheusScrape.of(url);
            Map<String, Double> finished = s.byLabel(P + "server_rounds", "server");
            if (finished.size() == SERVERS
                    && finished.values().stream().allMatch(r -> r == rounds)) {
                assertThat(s.byLabel(P + "server_round", "server").values())
                        .containsOnly((double) rounds - 1);
                return s;
            }
            assertThat(System.currentTimeMillis())
                    .as("every server's rounds counter reached %d: %s", rounds, finished)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    private static void assertAgreesWithTheMetricsTopic(
            PrometheusScrape s, List<JsonNode> metrics) {
        Map<String, Map<String, Double>> topic = new HashMap<>();
        Map<String, Map<String, Double>> edges = new HashMap<>();
        for (JsonNode m : metrics) {
            String server = m.get("serverId").asText();
            Map<String, Double> sums = topic.computeIfAbsent(server, k -> new HashMap<>());
            m.get("communication")
                    .fields()
                    .forEachRemaining(
                            kind -> {
                                sums.merge(
                                        kind.getKey() + "Bytes",
                                        kind.getValue().get("bytes").asDouble(),
                                        Double::sum);
                                sums.merge(
                                        kind.getKey() + "Messages",
                                        kind.getValue().get("messages").asDouble(),
                                        Double::sum);
                            });
            m.path("consensusTo")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    edges.computeIfAbsent(server, k -> new HashMap<>())
                                            .merge(
                                                    e.getKey(),
                                                    e.getValue().get("bytes").asDouble(),
                                                    Double::sum));
        }
        assertThat(topic).hasSize(SERVERS);
        for (String kind :
                List.of(
                        "modelUpBytes",
                        "modelUpMessages",
                        "modelDownBytes",
                        "consensusBytes",
                        "consensusMessages")) {
            Map<String, Double> scraped = s.byLabel(P + "server_" + kind, "server");
            topic.forEach(
                    (server, sums) ->
                            assertThat(scraped.get(server))
                                    .as("%s of %s: scrape against the metrics topic", kind, server)
                                    .isEqualTo(sums.get(kind)));
        }
        assertThat(topic.get("s0").get("consensusBytes")).isPositive();
        Map<String, Map<String, Double>> scrapedEdges = new HashMap<>();
        for (PrometheusScrape.Sample e : s.samples(P + "server_neighbour_edgeBytes")) {
            scrapedEdges
                    .computeIfAbsent(e.label("server"), k -> new HashMap<>())
                    .merge(e.label("neighbour"), e.value(), Double::sum);
        }
        assertThat(scrapedEdges).isEqualTo(edges);
        assertThat(scrapedEdges.get("s0")).containsOnlyKeys("s1", "s3");
        scrapedEdges.forEach(
                (server, byNeighbour) ->
                        assertThat(
                                        byNeighbour.values().stream()
                                                .mapToDouble(Double::doubleValue)
                                                .sum())
                                .as("%s's edges add up to its consensus bytes", server)
                                .isEqualTo(topic.get(server).get("consensusBytes")));
    }

    private static void assertConsensusErrorOfTheLastModels(
            PrometheusScrape s, OutsideClient client, String prefix) {
        Map<String, Double> last = new HashMap<>();
        for (JsonNode m : client.readAvailable(prefix + Topics.SERVER_MODELS.name())) {
            if (m.path("step").asInt() == 0) {
                last.put(m.get("serverId").asText(), m.get("consensusError").asDouble());
            }
        }
        Map<String, Double> scraped = s.byLabel(P + "server_consensusError", "server");
        last.forEach(
                (server, error) ->
                        assertThat(scraped.get(server)).as(server).isCloseTo(error, within(1e-15)));
        assertThat(last.values()).anySatisfy(e -> assertThat(e).isPositive());
    }

    /**
     * Every metric a dashboard query names is in the scrape (the dashboard's panels are not empty).
     */
    private static void assertDashboardQueriesExportedMetrics(PrometheusScrape s)
            throws IOException {
        String dashboard =
                Files.readString(Path.of("..", "docker", "grafana", "dashboards", "dflink.json"));
        Matcher m = Pattern.compile(P + "\\w+").matcher(dashboard);
        Set<String> queried = new TreeSet<>();
        while (m.find()) {
            queried.add(m.group());
        }
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(s.names()).containsAll(queried);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
