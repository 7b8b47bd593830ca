package io.dflink.operators.core;

import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Effective-round semantics of topology changes and the validity checks that guard them. */
class TopologyHistoryTest {

    private final TopologyHistory history = new TopologyHistory();

    @Test
    void shouldApplyAnEdgeChangeFromItsEffectiveRoundOn() {
        history.apply(
                TopologyEvent.graph(0, GraphFixtures.servers(4), GraphFixtures.ring(4).edges()));
        TopologyEvent down = TopologyEvent.edge(12, new Edge("s0", "s1"), false);
        assertThat(history.problemWith(down)).isNull();
        history.apply(down);
        assertThat(history.graphAt(11).hasEdge("s0", "s1")).isTrue();
        assertThat(history.graphAt(12).hasEdge("s0", "s1")).isFalse();
        assertThat(history.graphAt(500).neighbours("s0")).containsExactly("s3");
    }

    @Test
    void shouldRejectAChangeThatDisconnectsTheGraph() {
        history.apply(
                TopologyEvent.graph(0, GraphFixtures.servers(4), GraphFixtures.path(4).edges()));
        TopologyHistory.Rejection r =
                history.problemWith(TopologyEvent.edge(3, new Edge("s1", "s2"), false));
        assertThat(r.reason()).isEqualTo(RejectReason.DISCONNECTED_GRAPH);
        assertThat(
                        history.problemWith(
                                        TopologyEvent.graph(
                                                0,
                                                GraphFixtures.servers(3),
                                                List.of(new Edge("s0", "s1"))))
                                .reason())
                .isEqualTo(RejectReason.DISCONNECTED_GRAPH);
    }

    @Test
    void shouldRejectInvalidExplicitWeightsAndUnknownServers() {
        TopologyEvent heavy =
                TopologyEvent.graph(
                        0,
                        GraphFixtures.servers(3),
                        List.of(new Edge("s0", "s1", 0.7), new Edge("s1", "s2", 0.7)));
        assertThat(history.problemWith(heavy).reason()).isEqualTo(RejectReason.INVALID_WEIGHTS);
        history.apply(
                TopologyEvent.graph(0, GraphFixtures.servers(3), GraphFixtures.path(3).edges()));
        assertThat(history.problemWith(TopologyEvent.edge(1, new Edge("s0", "s7"), true)).reason())
                .isEqualTo(RejectReason.INVALID_TOPOLOGY);
        assertThat(history.problemWith(TopologyEvent.edge(1, new Edge("s0", "s2"), true))).isNull();
    }

    @Test
    void shouldKnowWhenAServerJoins() {
        history.apply(
                TopologyEvent.graph(0, GraphFixtures.servers(2), GraphFixtures.path(2).edges()));
        history.apply(
                TopologyEvent.graph(5, GraphFixtures.servers(3), GraphFixtures.path(3).edges()));
        assertThat(history.firstRoundOf("s0")).isZero();
        assertThat(history.firstRoundOf("s2")).isEqualTo(5);
        assertThat(history.firstRoundOf("s9")).isEqualTo(-1);
        assertThat(history.graphAt(4).contains("s2")).isFalse();
    }
}
