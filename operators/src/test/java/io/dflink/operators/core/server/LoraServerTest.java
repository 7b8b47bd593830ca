package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/**
 * A decentralised LoRA server driven event by event (docs/algorithms.md §2b): factor-only uploads
 * of the round's trained factor, one mixing step over the round's active links, messages carrying
 * only the mixed factors, and what it refuses.
 */
class LoraServerTest {

    // one 2 x 3 layer at rank 1: B has 2 values, A has 3; the model is [B; A]
    private static final int ROWS = 2;
    private static final int COLS = 3;

    private final CollectingOutputs out = new CollectingOutputs();
    private final ServerState s = new ServerState();
    private TopologyHistory topo;
    private Server server;
    private LoraParams lora;

    private void start(LoraVariant variant, double p) {
        lora = new LoraParams(variant, 1, p, 7, 1, 2, ROWS, COLS);
        topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, List.of("s1", "s2"), List.of(new Edge("s1", "s2"))));
        server =
                new Server(
                        ServerParams.defaults(1)
                                .withLora(lora)
                                .withClientsPerServer(2)
                                .withLastRound(5));
        feed(ServerInput.wake("s1"));
    }

    @Test
    void shouldStartFromTheSharedInitAverageTheTrainedFactorThenMixBoth() {
        start(LoraVariant.TAD_LORA, 1.0);
        ServerModel first = out.models.get(0);
        assertThat(first.vector).containsExactly(lora.initialModel());
        assertThat(first.vector).startsWith(0.0, 0.0); // B = 0
        assertThat(first.lora.variant).isEqualTo("TAD_LORA");
        assertThat(first.lora.rows).isEqualTo(ROWS);
        double[] a0 = lora.part(first.vector, LoraVariant.Factor.A);

        feed(upload("c1", 0, "B", 1, 1, 2));
        feed(upload("c2", 0, "B", 3, 5, 6));
        // (1*[1,2] + 3*[5,6]) / 4 = [4, 5]; A untouched; then one step with W = [[1/2, 1/2], ...]
        ConsensusMessage sent = out.sent.get(0);
        assertThat(sent.kind).isEqualTo(ConsensusMessage.KIND_LORA_AB);
        assertThat(sent.to).isEqualTo("s2");
        assertThat(sent.vector).startsWith(4.0, 5.0);
        assertThat(lora.part(sent.vector, LoraVariant.Factor.A)).containsExactly(a0);

        double[] neighbour = {0, 1, 1, 1, 1};
        feed(consensus(ConsensusMessage.KIND_LORA_AB, 0, neighbour));
        ServerModel next = out.models.get(1);
        assertThat(next.round).isEqualTo(1);
        assertThat(next.vector[0]).isCloseTo(2.0, within(1e-15));
        assertThat(next.vector[1]).isCloseTo(3.0, within(1e-15));
        for (int k = 0; k < COLS; k++) {
            assertThat(next.vector[ROWS + k]).isCloseTo((a0[k] + 1) / 2, within(1e-15));
        }
        assertThat(out.metrics.get(0).consensusValuesSent).isEqualTo(5);
        assertThat(out.rejected).isEmpty();
    }

    @Test
    void shouldRefuseUploadsOfTheFrozenFactorOrOfTheWholeModel() {
        start(LoraVariant.TAD_LORA, 1.0);
        feed(upload("c1", 0, "A", 1, 1, 2, 3));
        feed(upload("c1", 0, null, 1, 1, 2, 3, 4, 5));
        assertThat(out.rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(
                        RejectReason.UNEXPECTED_STEP.name(), RejectReason.UNEXPECTED_STEP.name());
        assertThat(out.rejected.get(0).reason).contains("factor A").contains("round 0");
        assertThat(s.contributions).isEmpty();
    }

    @Test
    void shouldSendOnlyTheTrainedFactorInActiveOnlyVariantsAndRefuseOthers() {
        start(LoraVariant.TAD_LORA_NO_JOINT, 1.0);
        feed(upload("c1", 0, "B", 1, 1, 2));
        feed(upload("c2", 0, "B", 1, 3, 4));
        ConsensusMessage sent = out.sent.get(0);
        assertThat(sent.kind).isEqualTo(ConsensusMessage.KIND_LORA_B);
        assertThat(sent.vector).containsExactly(2, 3);

        feed(consensus(ConsensusMessage.KIND_LORA_AB, 0, 0, 0, 0, 0, 0));
        assertThat(out.rejected)
                .singleElement()
                .satisfies(d -> assertThat(d.reasonCode).isEqualTo("UNKNOWN_TYPE"));
        feed(consensus(ConsensusMessage.KIND_LORA_B, 0, 0, 1));
        ServerModel next = out.models.get(1);
        assertThat(next.vector).startsWith(1.0, 2.0);
        // round 1 trains (and mixes) A: its upload is the A factor
        feed(upload("c1", 1, "A", 1, 1, 1, 1));
        feed(upload("c2", 1, "A", 1, 3, 3, 3));
        assertThat(out.sent.get(1).kind).isEqualTo(ConsensusMessage.KIND_LORA_A);
        assertThat(out.sent.get(1).vector).containsExactly(2, 2, 2);
    }

    @Test
    void shouldKeepTheFactorsOfAServerWithoutActiveLinks() {
        start(LoraVariant.TAD_LORA, 1e-12); // the one link is never active
        feed(upload("c1", 0, "B", 1, 1, 2));
        feed(upload("c2", 0, "B", 1, 3, 4));
        assertThat(out.sent).isEmpty();
        ServerModel next = out.models.get(1);
        assertThat(next.round).isEqualTo(1);
        assertThat(next.vector).startsWith(2.0, 3.0);
        assertThat(out.metrics.get(0).consensusMessagesSent).isZero();
    }

    @Test
    void shouldCheckFactorSizesInTheValidator() {
        LoraParams p = new LoraParams(LoraVariant.TAD_LORA, 1, 1, 7, 1, 2, ROWS, COLS);
        InputValidator lora = new InputValidator(p.dim(), p);
        assertThat(lora.check(upload("c", 0, "B", 1, 1, 2))).isNull();
        assertThat(lora.check(upload("c", 0, "A", 1, 1, 2, 3))).isNull();
        assertThat(lora.check(upload("c", 0, "B", 1, 1, 2, 3)).reasonCode)
                .isEqualTo("WRONG_DIMENSION");
        assertThat(lora.check(consensus(ConsensusMessage.KIND_LORA_A, 0, 1, 2, 3))).isNull();
        assertThat(lora.check(consensus(ConsensusMessage.KIND_LORA_B, 0, 1, 2, 3)).reasonCode)
                .isEqualTo("WRONG_DIMENSION");
        assertThat(lora.check(consensus(ConsensusMessage.KIND_LORA_AB, 0, 1, 2, 3, 4, 5))).isNull();
        InputValidator dfl = new InputValidator(2);
        assertThat(dfl.check(upload("c", 0, "B", 1, 1, 2)).reasonCode).isEqualTo("INVALID_VALUE");
    }

    @Test
    void shouldRefuseNonsenseParams() {
        assertThat(catchThrowable(() -> new LoraParams(LoraVariant.LORA, 0, 0.5, 1, 1, 1, 2, 2)))
                .hasMessageContaining("T must be >= 1");
        assertThat(catchThrowable(() -> new LoraParams(LoraVariant.LORA, 1, 0, 1, 1, 1, 2, 2)))
                .hasMessageContaining("probability");
        LoraParams p = new LoraParams(LoraVariant.LORA, 1, 0.5, 1, 1, 1, 2, 2);
        assertThat(
                        catchThrowable(
                                () ->
                                        ServerParams.builder(3)
                                                .consensusSteps(1)
                                                .closing(RoundClosing.count(1))
                                                .maxBuffered(10)
                                                .maxRoundsAhead(2)
                                                .algorithm(new Algorithm.Lora(p))
                                                .build()))
                .hasMessageContaining("rank (rows + cols) = 4");
    }

    @Test
    void shouldTakeTheTrainedFactorsMedianUnderAMedianRule() {
        lora = new LoraParams(LoraVariant.TAD_LORA, 1, 1.0, 7, 1, 2, ROWS, COLS);
        topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, List.of("s1"), List.of()));
        server =
                new Server(
                        ServerParams.defaults(1).withLora(lora).toBuilder()
                                .closing(RoundClosing.count(3))
                                .lastRound(5)
                                .aggregation(new Aggregation.Median())
                                .build());
        feed(ServerInput.wake("s1"));
        double[] a0 = lora.part(out.models.get(0).vector, LoraVariant.Factor.A);
        feed(upload("c1", 0, "B", 1, 1, 2));
        feed(upload("c2", 0, "B", 1, 3, 4));
        feed(upload("evil", 0, "B", 1_000, 900, -900));
        ServerModel next = out.models.get(out.models.size() - 1);
        // the median of B per coordinate; evil (bounded from B = 0) is at the extremes; A stays
        assertThat(lora.part(next.vector, LoraVariant.Factor.B)).containsExactly(3.0, 2.0);
        assertThat(lora.part(next.vector, LoraVariant.Factor.A)).containsExactly(a0);
    }

    private void feed(ServerInput in) {
        server.onInput(s, in, topo, out, 0);
    }

    private static ServerInput upload(
            String client, long round, String factor, double weight, double... v) {
        ClientUpdate u = ClientUpdate.model(client, "s1", round, weight, v);
        u.factor = factor;
        return ServerInput.of(u, source());
    }

    private static ServerInput consensus(String kind, long round, double... v) {
        return ServerInput.of(new ConsensusMessage("s2", "s1", round, 0, kind, v), source());
    }

    private static SourceRef source() {
        return new SourceRef("t", 0, 0, "s1", new byte[3]);
    }
}
