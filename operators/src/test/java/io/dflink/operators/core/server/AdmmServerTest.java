package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One LT-ADMM server driven event by event: the local phase and what it refuses. */
class AdmmServerTest {

    private final CollectingOutputs out = new CollectingOutputs();
    private final ServerState s = new ServerState();
    private TopologyHistory topo;
    private Server server;

    private void start(VarianceReduction variance, RoundClosing closing) {
        topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, List.of("s1"), List.of()));
        server =
                new Server(
                        ServerParams.defaults(2)
                                .withClosing(closing)
                                .withLastRound(5)
                                .withAdmm(new AdmmParams(0.5, 0.1, 1, 0.5, 2, 4, variance, 1)));
        feed(ServerInput.wake("s1"));
    }

    @Test
    void shouldStepOnTheBatchWeightedGradientAndPublishEachIterate() {
        start(VarianceReduction.NONE, RoundClosing.count(2));
        assertThat(out.models.get(0).admm.tau).isEqualTo(2);
        feed(gradient("a", 0, 0, 1, new double[] {2, 0}));
        feed(gradient("b", 0, 0, 3, new double[] {-2, 4}));
        // g = (1*(2,0) + 3*(-2,4)) / 4 = (-1, 3); phi = 0 - 0.5 g (no neighbours: c = 0)
        assertThat(out.models.get(1).step).isEqualTo(1);
        assertThat(out.models.get(1).vector).containsExactly(0.5, -1.5);
        feed(gradient("a", 0, 1, 1, new double[] {1, 1}));
        feed(gradient("b", 0, 1, 1, new double[] {1, 1}));
        assertThat(out.models.get(2).round).isEqualTo(1);
        assertThat(out.models.get(2).vector).containsExactly(0.0, -2.0);
        assertThat(out.metrics.get(0).gradientUp.messages).isEqualTo(4);
        assertThat(out.metrics.get(0).localSteps).isEqualTo(2);
    }

    @Test
    void shouldClipAnOutlyingGradientAndBoundAnInflatedBatchSize() {
        start(VarianceReduction.NONE, RoundClosing.count(3));
        feed(gradient("a", 0, 0, 1, new double[] {3, 4}));
        feed(gradient("b", 0, 0, 1, new double[] {0, 5}));
        feed(gradient("evil", 0, 0, 1_000, new double[] {0, -5_000}));
        // evil: batch 1000 -> 10 x the median 1; norm 5000 -> 10 x the median norm 5
        // g = ((3,4) + (0,5) + 10 (0,-50)) / 12; phi = 0 - 0.5 g
        double[] g = {3.0 / 12, (4.0 + 5.0 - 500.0) / 12};
        assertThat(out.models.get(1).vector).containsExactly(-0.5 * g[0], -0.5 * g[1]);
        feed(gradient("a", 0, 1, 1, new double[] {1, 1}));
        feed(gradient("b", 0, 1, 1, new double[] {1, 1}));
        feed(gradient("evil", 0, 1, 1, new double[] {1, 1}));
        assertThat(out.metrics.get(0).weightBounded).containsExactly("evil");
        assertThat(out.metrics.get(0).clipped).containsExactly("evil");
    }

    @Test
    void shouldRefuseGradientsForAnotherStepDuplicatesAndOtherKindsOfUpdate() {
        start(VarianceReduction.NONE, RoundClosing.count(2));
        feed(gradient("a", 0, 1, 1, new double[] {1, 1}));
        feed(gradient("a", 0, 0, 1, new double[] {1, 1}));
        feed(gradient("a", 0, 0, 1, new double[] {1, 1}));
        feed(ServerInput.of(ClientUpdate.model("a", "s1", 0, 1, new double[] {1, 1}), source()));
        feed(
                ServerInput.of(
                        ClientUpdate.gradient(
                                "c", "s1", 0, 0, 1, new double[] {1, 1}, new double[] {1, 1}, 3),
                        source()));
        feed(gradient("b", 0, 0, 1, new double[] {1, 1}));
        feed(gradient("b", 0, 0, 1, new double[] {1, 1}));
        assertThat(out.rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(
                        RejectReason.UNEXPECTED_STEP.name(),
                        RejectReason.DUPLICATE.name(),
                        RejectReason.UNEXPECTED_STEP.name(),
                        RejectReason.INVALID_VALUE.name(),
                        RejectReason.STALE_ROUND.name());
    }

    @Test
    void shouldNeedTheTableMeanOnVarianceReducedServers() {
        start(VarianceReduction.SAGA, RoundClosing.count(1));
        feed(gradient("a", 0, 0, 1, new double[] {1, 1}));
        assertThat(out.rejected.get(0).reasonCode).isEqualTo("MISSING_FIELD");
        feed(
                ServerInput.of(
                        ClientUpdate.gradient(
                                "a", "s1", 0, 0, 2, new double[] {1, 0}, new double[] {0, 2}, 5),
                        source()));
        // g = (2*(1,0))/2 + (5*(0,2))/5 = (1, 2)
        assertThat(out.models.get(1).vector).containsExactly(-0.5, -1.0);
    }

    @Test
    void shouldGoOnWithAQuorumWhenAStepTimesOut() {
        start(VarianceReduction.NONE, new RoundClosing(RoundClosing.Membership.COUNT, 3, 1000, 1));
        assertThat(server.onClientTimeout(s, topo, out, 0)).isFalse();
        feed(gradient("a", 0, 0, 1, new double[] {2, 2}));
        assertThat(server.onClientTimeout(s, topo, out, 0)).isTrue();
        assertThat(out.models.get(1).vector).containsExactly(-1.0, -1.0);
        assertThat(s.timerRound).isEqualTo(-1);
    }

    private void feed(ServerInput in) {
        server.onInput(s, in, topo, out, 0);
    }

    private static ServerInput gradient(
            String client, long round, int step, double weight, double[] mean) {
        return ServerInput.of(
                ClientUpdate.gradient(client, "s1", round, step, weight, mean, new double[0], 0),
                source());
    }

    private static SourceRef source() {
        return new SourceRef("t", 0, 0, null, new byte[] {1});
    }
}
