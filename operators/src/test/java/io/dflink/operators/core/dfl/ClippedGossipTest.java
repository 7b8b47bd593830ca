package io.dflink.operators.core.dfl;

import io.dflink.operators.core.ServerState;
import io.dflink.records.ConsensusMessage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Clipped gossip against its definition v + sum_j a_ij clip(v_j - v, tau): a far neighbour moves
 * the server by exactly a_ij tau towards it and is reported, a near one by its plain share; radius
 * 0 is the plain gossip step bit for bit.
 */
class ClippedGossipTest {

    @Test
    void shouldLimitTheFarNeighboursPullToItsWeightTimesTheRadius() {
        ServerState s = state();
        double[] own = {1, 1};
        List<ConsensusMessage> received =
                List.of(
                        message("s1", new double[] {1.2, 0.9}),
                        message("s2", new double[] {1e6, 1}));
        double[] next = GossipExchange.mixed(s, own, received, 0.5);
        // near: 1/3 (0.2, -0.1); far: 1/3 * 0.5 along (1, 0)
        assertThat(next[0]).isCloseTo(1 + 0.2 / 3 + 0.5 / 3, within(1e-12));
        assertThat(next[1]).isCloseTo(1 - 0.1 / 3, within(1e-12));
        assertThat(s.metrics.clippedNeighbours).containsExactly("s2");
    }

    @Test
    void shouldBeThePlainStepBitForBitWithoutARadius() {
        ServerState s = state();
        double[] own = {0.3, -2};
        List<ConsensusMessage> received =
                List.of(message("s1", new double[] {7, 1}), message("s2", new double[] {1e6, 1}));
        assertThat(GossipExchange.mixed(s, own, received, 0))
                .containsExactly(GossipExchange.mixed(s, own, received));
        assertThat(s.metrics.clippedNeighbours).isEmpty();
    }

    @Test
    void shouldMatchThePlainStepBetweenNeighboursWithinTheRadius() {
        ServerState s = state();
        double[] own = {0.3, -2};
        List<ConsensusMessage> received =
                List.of(
                        message("s1", new double[] {0.5, -2.1}),
                        message("s2", new double[] {0.2, -1.8}));
        assertThat(GossipExchange.mixed(s, own, received, 1))
                .containsExactly(GossipExchange.mixed(s, own, received), within(1e-15));
    }

    private static ServerState state() {
        ServerState s = new ServerState();
        s.serverId = "s0";
        s.neighbours = List.of("s1", "s2");
        s.neighbourWeights = new double[] {1 / 3., 1 / 3.};
        s.selfWeight = 1 / 3.;
        return s;
    }

    private static ConsensusMessage message(String from, double[] v) {
        return new ConsensusMessage(from, "s0", 0, 0, ConsensusMessage.KIND_DFL_MODEL, v);
    }
}
