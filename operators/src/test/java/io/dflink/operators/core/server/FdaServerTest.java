package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ControlEvent;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server whose client phase FDA governs, driven event by event (docs/algorithms.md §3b, §5.1).
 */
class FdaServerTest {

    private final CollectingOutputs out = new CollectingOutputs();
    private final ServerState s = new ServerState();
    private TopologyHistory topo;
    private Server server;

    private void start(FdaParams fda, RoundClosing closing) {
        topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, List.of("s1"), List.of()));
        server =
                new Server(
                        ServerParams.defaults(2)
                                .withConsensusSteps(2)
                                .withClosing(closing)
                                .withFda(fda));
        feed(ServerInput.wake("s1"));
    }

    @Test
    void shouldDecideEachStepOnTheEstimateAndAverageUniformlyOnASync() {
        start(FdaParams.of(FdaVariant.NAIVE, 1.0, 3, 1, 5), RoundClosing.count(2));
        ServerModel first = out.models.get(0);
        assertThat(first.fda.variant).isEqualTo("NAIVE");
        assertThat(first.fda.steps).isEqualTo(3);

        feed(state("a", 0, 1, 0.1));
        assertThat(out.control).isEmpty();
        feed(state("b", 0, 1, 0.3));
        assertThat(out.control).singleElement().satisfies(c -> decision(c, false, 1, 0.2));

        feed(state("a", 0, 2, 2.0));
        feed(state("b", 0, 2, 1.0));
        assertThat(out.control.get(1)).satisfies(c -> decision(c, true, 2, 1.5));

        feed(state("a", 0, 2, 2.0));
        feed(model("a", 0, 3, 1, 9, 9));
        feed(model("a", 0, 2, 1, 1, 1));
        feed(model("a", 0, 2, 1, 5, 5));
        assertThat(out.rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(
                        RejectReason.STALE_ROUND.name(),
                        RejectReason.UNEXPECTED_STEP.name(),
                        RejectReason.DUPLICATE.name());
        feed(model("b", 0, 2, 3, 3, 3));
        ServerModel synced = out.models.get(1);
        assertThat(synced.round).isZero();
        assertThat(synced.step).isEqualTo(2);
        assertThat(synced.fda).isNull();
        assertThat(synced.vector).as("uniform, not sample-weighted").containsExactly(2, 2);

        // after the last step the clients upload without a decision: the forced sync
        feed(model("a", 0, 3, 1, 0, 0));
        feed(model("b", 0, 3, 1, 2, 4));
        ServerModel next = out.models.get(2);
        assertThat(next.round).isEqualTo(1);
        assertThat(next.step).isZero();
        assertThat(next.vector).containsExactly(1, 2);
        assertThat(next.fda.variant).isEqualTo("NAIVE");
        assertThat(s.fda.step).isEqualTo(1);
        assertThat(s.fda.awaitingModels).isFalse();

        var m = out.metrics.get(0);
        assertThat(m.syncs).isEqualTo(2);
        assertThat(m.localSteps).isEqualTo(3);
        assertThat(m.monitoringUp.messages).isEqualTo(5);
        assertThat(m.modelUp.messages).isEqualTo(6);
        assertThat(m.control.messages).as("2 decisions x 2 clients").isEqualTo(4);
        assertThat(m.modelDown.messages).as("start and sync models x 2 clients").isEqualTo(4);
        assertThat(m.modelUp.bytes).isEqualTo(6 * SOURCE_BYTES);
    }

    @Test
    void shouldSyncOnTheScheduleWithoutStatesForTheBaselines() {
        start(FdaParams.of(FdaVariant.PERIODIC, 0, 5, 2, 5), RoundClosing.count(2));
        feed(state("a", 0, 1, 0.1));
        assertThat(out.rejected)
                .singleElement()
                .satisfies(d -> assertThat(d.reasonCode).isEqualTo("UNEXPECTED_STEP"));
        feed(model("a", 0, 2, 1, 1, 1));
        feed(model("b", 0, 2, 1, 3, 3));
        assertThat(out.models.get(1).step).isEqualTo(2);
        feed(model("a", 0, 4, 1, 1, 1));
        feed(model("b", 0, 4, 1, 3, 3));
        assertThat(out.models.get(2).step).isEqualTo(4);
        feed(model("a", 0, 5, 1, 1, 1));
        feed(model("b", 0, 5, 1, 3, 3));
        assertThat(out.models.get(3).round).isEqualTo(1);
        assertThat(out.control).isEmpty();
        assertThat(out.metrics.get(0).syncs).isEqualTo(3);
    }

    @Test
    void shouldRejectStatesThatLackWhatTheVariantNeeds() {
        start(FdaParams.of(FdaVariant.LINEAR, 1.0, 3, 1, 5), RoundClosing.count(2));
        feed(state("a", 0, 1, 0.1)); // no projection
        feed(
                ServerInput.of(
                        ClientUpdate.fdaState(
                                "b", "s1", 0, 1, Double.POSITIVE_INFINITY, 0, new double[0]),
                        source()));
        assertThat(out.rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly("MISSING_FIELD", "NON_FINITE");
        assertThat(s.fda.reports).isEmpty();
    }

    @Test
    void shouldGoOnWithAQuorumWhenAStepTimesOut() {
        start(
                FdaParams.of(FdaVariant.NAIVE, 1.0, 3, 1, 5),
                new RoundClosing(RoundClosing.Membership.COUNT, 3, 1000, 2));
        feed(state("a", 0, 1, 5.0));
        assertThat(server.onClientTimeout(s, topo, out, 0)).as("below quorum").isFalse();
        feed(state("b", 0, 1, 5.0));
        assertThat(server.onClientTimeout(s, topo, out, 0)).isTrue();
        assertThat(out.control).singleElement().satisfies(c -> decision(c, true, 1, 5.0));
        assertThat(s.timerRound).as("the next wait gets its own timeout").isEqualTo(-1);
        feed(state("c", 0, 1, 5.0));
        assertThat(out.rejected.get(0).reasonCode).isEqualTo("STALE_ROUND");
    }

    @Test
    void shouldRejectFdaStatesWhenTheServerRunsPlainDfl() {
        start(null, RoundClosing.count(2));
        assertThat(out.models.get(0).fda).isNull();
        feed(state("a", 0, 1, 0.1));
        assertThat(out.rejected.get(0).reasonCode).isEqualTo("UNEXPECTED_STEP");
    }

    private static void decision(ControlEvent c, boolean sync, int step, double estimate) {
        assertThat(c.isSync()).isEqualTo(sync);
        assertThat(c.step).isEqualTo(step);
        assertThat(c.round).isZero();
        assertThat(c.serverId).isEqualTo("s1");
        assertThat(c.estimate).isEqualTo(estimate, org.assertj.core.api.Assertions.within(1e-12));
    }

    private void feed(ServerInput in) {
        server.onInput(s, in, topo, out, 0);
    }

    private static final int SOURCE_BYTES = 3;

    private static ServerInput state(String client, long round, int step, double sqNorm) {
        return ServerInput.of(
                ClientUpdate.fdaState(client, "s1", round, step, sqNorm, Double.NaN, new double[0]),
                source());
    }

    private static ServerInput model(
            String client, long round, int step, double weight, double... v) {
        return ServerInput.of(ClientUpdate.model(client, "s1", round, step, weight, v), source());
    }

    private static SourceRef source() {
        return new SourceRef("t", 0, 0, null, new byte[SOURCE_BYTES]);
    }
}
