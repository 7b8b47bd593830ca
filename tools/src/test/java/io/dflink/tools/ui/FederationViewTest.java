package io.dflink.tools.ui;

import io.dflink.records.DeadLetter;
import io.dflink.records.Edge;
import io.dflink.records.FdaSettings;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.TopologyEvent;
import io.dflink.records.Traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the web view draws, from the job's records alone, and how much of it it keeps. */
class FederationViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FederationView view = new FederationView();

    @Test
    void shouldFollowTheTopologyTopicsGraphsAndEdgeEvents() throws Exception {
        view.topology(
                TopologyEvent.graph(
                        0,
                        List.of("s0", "s1", "s2"),
                        List.of(new Edge("s1", "s0"), new Edge("s1", "s2"))));
        view.topology(TopologyEvent.edge(3, new Edge("s2", "s0"), true));
        view.topology(TopologyEvent.edge(5, new Edge("s2", "s1"), false));
        JsonNode s = snapshot();
        assertThat(texts(s.get("servers"))).containsExactly("s0", "s1", "s2");
        assertThat(s.get("edges")).hasSize(2);
        assertThat(s.get("edges").get(0).get("a").asText()).isEqualTo("s0");
        assertThat(s.get("edges").get(0).get("b").asText()).isEqualTo("s1");
        assertThat(s.get("edges").get(1).get("b").asText()).isEqualTo("s2");
    }

    @Test
    void shouldSumEachEdgesTrafficBothWaysAndMarkEdgesIdleInTheLastRound() throws Exception {
        view.topology(
                TopologyEvent.graph(
                        0,
                        List.of("s0", "s1", "s2"),
                        List.of(new Edge("s0", "s1"), new Edge("s1", "s2"))));
        view.metrics(metrics("s0", 0, "s1", 10, 800));
        view.metrics(metrics("s1", 0, "s0", 10, 700));
        view.metrics(metrics("s1", 1, "s0", 5, 400)); // s1 -> s2 carried nothing in round 1
        JsonNode edges = snapshot().get("edges");
        assertThat(edges.get(0).get("bytes").asLong()).isEqualTo(800 + 700 + 400);
        assertThat(edges.get(0).get("messages").asLong()).isEqualTo(25);
        assertThat(edges.get(0).get("active").asBoolean()).isTrue();
        assertThat(edges.get(1).get("bytes").asLong()).isZero();
        assertThat(edges.get(1).get("active").asBoolean()).isFalse();
    }

    @Test
    void shouldPlotEachRoundsConsensusErrorAndHowFarTheModelMoved() throws Exception {
        view.model(model("s0", 0, 0, new double[] {0, 0}));
        view.model(model("s0", 1, 0.5, new double[] {3, 4}));
        ServerModel sync = model("s0", 1, 9, new double[] {9, 9});
        sync.step = 3;
        view.model(sync); // an FDA sync within round 1: not a round's result
        view.model(model("s0", 2, 0.25, new double[] {3, 5}));
        JsonNode points = snapshot().get("rounds").get("s0");
        assertThat(points).hasSize(3);
        assertThat(points.get(0).get(2).isNull()).as("round 0 moved from nothing").isTrue();
        assertThat(points.get(1).get(1).asDouble()).isEqualTo(0.5);
        assertThat(points.get(1).get(2).asDouble()).isCloseTo(5, within(1e-12));
        assertThat(points.get(2).get(0).asLong()).isEqualTo(2);
        assertThat(points.get(2).get(2).asDouble()).isCloseTo(1, within(1e-12));
    }

    @Test
    void shouldNameTheAlgorithmAndPlaceFdaSyncsOnTheModelTheyMade() throws Exception {
        ServerModel m = model("s0", 0, 0, new double[] {1});
        m.fda = new FdaSettings();
        view.model(m);
        RoundMetrics r = new RoundMetrics();
        r.serverId = "s0";
        r.round = 0;
        r.syncs = 4;
        view.metrics(r);
        JsonNode s = snapshot();
        assertThat(s.get("algorithm").asText()).isEqualTo("FDA");
        assertThat(s.get("rounds").get("s0").get(1).get(0).asLong()).isEqualTo(1);
        assertThat(s.get("rounds").get("s0").get(1).get(4).asInt()).isEqualTo(4);
    }

    @Test
    void shouldKeepTheNewestDeadLettersAndCountAllByReason() throws Exception {
        for (int i = 0; i < FederationView.DEAD_LETTERS + 7; i++) {
            DeadLetter d = new DeadLetter();
            d.reasonCode = i % 2 == 0 ? "WRONG_DIMENSION" : "MALFORMED_JSON";
            d.reason = "record " + i;
            d.sourceTopic = "client-updates";
            d.partition = 1;
            d.offset = i;
            view.deadLetter(d);
        }
        JsonNode s = snapshot();
        assertThat(s.get("deadLetters")).hasSize(FederationView.DEAD_LETTERS);
        assertThat(s.get("deadLetters").get(0).get("reason").asText())
                .isEqualTo("record " + (FederationView.DEAD_LETTERS + 6));
        assertThat(s.get("deadLetters").get(0).get("source").asText())
                .isEqualTo("client-updates[1]@" + (FederationView.DEAD_LETTERS + 6));
        assertThat(s.get("deadLetterCounts").get("WRONG_DIMENSION").asInt()).isEqualTo(29);
        assertThat(s.get("deadLetterCounts").get("MALFORMED_JSON").asInt()).isEqualTo(28);
    }

    @Test
    void shouldKeepABoundedHistoryPerServer() throws Exception {
        for (int r = 0; r < FederationView.HISTORY + 20; r++) {
            view.model(model("s0", r, 0, new double[] {r}));
        }
        JsonNode points = snapshot().get("rounds").get("s0");
        assertThat(points).hasSize(FederationView.HISTORY);
        assertThat(points.get(0).get(0).asLong()).isEqualTo(20);
    }

    @Test
    void shouldBumpItsVersionOnEveryChange() {
        long before = view.version();
        view.model(model("s0", 0, 0, new double[] {1}));
        assertThat(view.version()).isGreaterThan(before);
    }

    private JsonNode snapshot() throws Exception {
        return JSON.readTree(view.snapshot());
    }

    private static List<String> texts(JsonNode array) {
        return JSON.convertValue(
                array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private static ServerModel model(String server, long round, double error, double[] w) {
        ServerModel m = new ServerModel(server, round, w);
        m.consensusError = error;
        return m;
    }

    private static RoundMetrics metrics(
            String server, long round, String to, long messages, long bytes) {
        RoundMetrics m = new RoundMetrics();
        m.serverId = server;
        m.round = round;
        m.consensusTo.put(to, new Traffic(messages, bytes));
        return m;
    }
}
