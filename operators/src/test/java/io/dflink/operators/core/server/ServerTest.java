package io.dflink.operators.core.server;

import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One {@link Server} driven input by input: round closing and every kind of odd input. */
class ServerTest {

    private final CollectingOutputs out = new CollectingOutputs();
    private final List<ServerModel> models = out.models;
    private final List<ConsensusMessage> sent = out.sent;
    private final List<DeadLetter> rejected = out.rejected;
    private final List<RoundMetrics> metrics = out.metrics;

    private TopologyHistory topo;
    private ServerState s1;
    private Server server;

    @BeforeEach
    void path() {
        // s0 - s1 - s2: s1 has two neighbours with MH weight 1/3 each
        topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, GraphFixtures.servers(3), GraphFixtures.path(3).edges()));
        server =
                new Server(
                        ServerParams.defaults(2)
                                .withConsensusSteps(2)
                                .withClientsPerServer(2)
                                .withMaxBuffered(5));
        s1 = new ServerState();
        feed(ServerInput.wake("s1"));
    }

    @Test
    void shouldPublishTheInitialModelWhenWoken() {
        assertThat(models).hasSize(1);
        assertThat(models.get(0).round).isZero();
        assertThat(models.get(0).vector).containsExactly(0, 0);
        assertThat(s1.phase).isEqualTo(Phase.CLIENT);
        assertThat(s1.neighbours).containsExactly("s0", "s2");
    }

    @Test
    void shouldCloseTheRoundWithTheSampleWeightedMeanAndStartConsensus() {
        feed(update("a", 0, 1, 1.0, 2.0));
        assertThat(sent).isEmpty();
        feed(update("b", 0, 3, 5.0, 6.0));
        assertThat(s1.phase).isEqualTo(Phase.CONSENSUS);
        assertThat(sent).extracting(m -> m.to).containsExactly("s0", "s2");
        assertThat(sent.get(0).vector).containsExactly(4.0, 5.0); // (1*(1,2) + 3*(5,6)) / 4
        assertThat(sent.get(0).step).isZero();
    }

    @Test
    void shouldKeepTheFirstUpdateOfARoundAndDeadLetterDuplicates() {
        feed(update("a", 0, 1, 1.0, 2.0));
        feed(update("a", 0, 1, 9.0, 9.0));
        assertThat(s1.contributions).hasSize(1);
        assertThat(s1.contributions.get("a").vector).containsExactly(1.0, 2.0);
        assertThat(s1.metrics.duplicateUpdates).isEqualTo(1);
        assertThat(rejected).extracting(d -> d.reasonCode).containsExactly("DUPLICATE");
    }

    @Test
    void shouldRunConsensusStepsWithBufferedMessagesAndPublishTheNextModel() {
        // neighbours' step-1 messages arrive before step 0's: they wait in the buffer
        feed(consensus("s0", 0, 1, 3.0, 3.0));
        feed(consensus("s2", 0, 1, 6.0, 6.0));
        feed(consensus("s0", 0, 0, 0.0, 0.0));
        feed(update("a", 0, 1, 3.0, 3.0));
        feed(update("b", 0, 1, 3.0, 3.0));
        assertThat(s1.step).isZero(); // still waits for s2's step 0
        feed(consensus("s2", 0, 0, 6.0, 6.0));
        // step 0: (3 + 0 + 6) / 3 = 3; step 1: (3 + 3 + 6) / 3 = 4
        assertThat(models).hasSize(2);
        assertThat(models.get(1).round).isEqualTo(1);
        assertThat(models.get(1).vector).containsExactly(4.0, 4.0);
        // last step: own (3, 3) against s0's (3, 3) and s2's (6, 6)
        assertThat(models.get(1).consensusError).isCloseTo(3 * Math.sqrt(2), within(1e-12));
        assertThat(s1.pendingConsensus).isEmpty();
        assertThat(metrics)
                .singleElement()
                .satisfies(
                        m -> {
                            assertThat(m.consensusMessagesSent).isEqualTo(4);
                            assertThat(m.consensusMessagesReceived).isEqualTo(4);
                        });
    }

    @Test
    void shouldDropReplayedConsensusMessagesWithoutEffect() {
        closeRoundZero();
        feed(consensus("s0", 0, 0, 100.0, 100.0)); // replay of a finished round
        assertThat(rejected).isEmpty();
        assertThat(s1.pendingConsensus).isEmpty();
        assertThat(s1.metrics.duplicateConsensusMessages).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterStaleUpdates() {
        closeRoundZero();
        feed(update("c", 0, 1, 1.0, 1.0));
        assertThat(rejected)
                .singleElement()
                .satisfies(
                        d -> assertThat(d.reasonCode).isEqualTo(RejectReason.STALE_ROUND.name()));
    }

    @Test
    void shouldBufferFutureUpdatesAndApplyThemInTheirRound() {
        feed(update("a", 1, 1, 7.0, 7.0));
        feed(update("b", 1, 1, 9.0, 9.0));
        assertThat(s1.futureUpdates).hasSize(2);
        closeRoundZero();
        // round 1 closed at once from the buffer: its consensus step 0 was sent with (8, 8)
        assertThat(sent)
                .filteredOn(m -> m.round == 1)
                .extracting(m -> m.vector[0])
                .containsExactly(8.0, 8.0);
        assertThat(s1.futureUpdates).isEmpty();
    }

    @Test
    void shouldDeadLetterUpdatesTooFarAheadAndOverflowOfItsBuffers() {
        feed(update("a", ServerParams.DEFAULT_MAX_ROUNDS_AHEAD + 1, 1, 1.0, 1.0));
        for (int i = 0; i < 6; i++) {
            feed(update("c" + i, 1, 1, 1.0, 1.0));
        }
        assertThat(rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(
                        RejectReason.TOO_FAR_AHEAD.name(), RejectReason.BUFFER_FULL.name());
    }

    @Test
    void shouldDeadLetterConsensusMessagesNoRoundWillEverConsume() {
        feed(
                consensus(
                        "s0",
                        ServerParams.DEFAULT_MAX_ROUNDS_AHEAD + 1,
                        0,
                        1.0,
                        1.0)); // too far ahead
        feed(consensus("s0", 0, 2, 1.0, 1.0)); // T_S = 2: steps are 0 and 1
        assertThat(rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(
                        RejectReason.TOO_FAR_AHEAD.name(), RejectReason.TOO_FAR_AHEAD.name());
        assertThat(s1.pendingConsensus).isEmpty();
    }

    @Test
    void shouldDeadLetterConsensusFromANonNeighbour() {
        TopologyHistory wider = new TopologyHistory();
        wider.apply(
                TopologyEvent.graph(0, GraphFixtures.servers(4), GraphFixtures.path(4).edges()));
        topo = wider;
        feed(consensus("s3", 0, 0, 1.0, 1.0));
        assertThat(rejected)
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.reasonCode)
                                        .isEqualTo(RejectReason.NOT_A_NEIGHBOUR.name()));
    }

    @Test
    void shouldDeadLetterInputsForAServerNoGraphNames() {
        ServerState unknown = new ServerState();
        server.onInput(
                unknown,
                ServerInput.of(ClientUpdate.model("a", "s9", 0, 1, new double[2]), source()),
                topo,
                out,
                0);
        assertThat(rejected)
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(d.reasonCode)
                                        .isEqualTo(RejectReason.UNKNOWN_SERVER.name()));
        assertThat(unknown.phase).isEqualTo(Phase.WAITING);
    }

    @Test
    void shouldHoldInputsUntilTheTopologyArrives() {
        Server fresh = new Server(ServerParams.defaults(2).withClientsPerServer(2));
        ServerState s = new ServerState();
        fresh.onInput(
                s,
                ServerInput.of(ClientUpdate.model("a", "s1", 0, 1, new double[] {2, 2}), source()),
                null,
                out,
                0);
        assertThat(s.waiting).hasSize(1);
        fresh.onTopologyChange(s, topo, out, 0);
        assertThat(s.phase).isEqualTo(Phase.CLIENT);
        assertThat(s.contributions).containsKey("a");
    }

    @Test
    void shouldStopAfterTheLastRound() {
        Server once =
                new Server(
                        ServerParams.defaults(2)
                                .withConsensusSteps(0)
                                .withClientsPerServer(1)
                                .withLastRound(1));
        ServerState s = new ServerState();
        once.onInput(s, ServerInput.wake("s1"), topo, out, 0);
        once.onInput(s, update("a", 0, 1, 1.0, 1.0), topo, out, 0);
        assertThat(s.phase).isEqualTo(Phase.DONE);
        assertThat(models).last().satisfies(m -> assertThat(m.last).isTrue());
        once.onInput(s, update("a", 1, 1, 1.0, 1.0), topo, out, 0);
        assertThat(rejected)
                .last()
                .satisfies(
                        d ->
                                assertThat(d.reasonCode)
                                        .isEqualTo(RejectReason.BEYOND_LAST_ROUND.name()));
    }

    private void closeRoundZero() {
        feed(update("a", 0, 1, 1.0, 1.0));
        feed(update("b", 0, 1, 1.0, 1.0));
        feed(consensus("s0", 0, 0, 1.0, 1.0));
        feed(consensus("s2", 0, 0, 1.0, 1.0));
        feed(consensus("s0", 0, 1, 1.0, 1.0));
        feed(consensus("s2", 0, 1, 1.0, 1.0));
        assertThat(s1.round).isEqualTo(1);
    }

    private void feed(ServerInput in) {
        server.onInput(s1, in, topo, out, 0);
    }

    private static ServerInput update(String client, long round, double weight, double... v) {
        return ServerInput.of(ClientUpdate.model(client, "s1", round, weight, v), source());
    }

    private static ServerInput consensus(String from, long round, int step, double... v) {
        return ServerInput.of(
                new ConsensusMessage(from, "s1", round, step, ConsensusMessage.KIND_DFL_MODEL, v),
                source());
    }

    private static SourceRef source() {
        return new SourceRef("t", 0, 0, null, new byte[] {1});
    }
}
