package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a round closes: announced membership (join/leave) and the timeout with a quorum. */
class RoundClosingTest {

    private final CollectingOutputs out = new CollectingOutputs();
    private final TopologyHistory topo = new TopologyHistory();
    private final ServerState s = new ServerState();

    @BeforeEach
    void singleServer() {
        topo.apply(TopologyEvent.graph(0, GraphFixtures.servers(1), java.util.List.of()));
    }

    @Test
    void shouldWaitForEveryAnnouncedClient() {
        Server server = start(new RoundClosing(RoundClosing.Membership.ANNOUNCED, 2, 0, 1));
        feed(server, join("a", 0));
        feed(server, model("a", 0, 1));
        feed(server, join("b", 0));
        feed(server, join("c", 0));
        feed(server, model("b", 0, 2));
        assertThat(s.round).as("c announced itself and has not reported").isZero();
        feed(server, model("c", 0, 3));
        assertThat(s.round).isEqualTo(1);
        assertThat(out.models.get(1).vector).containsExactly(2.0);
    }

    @Test
    void shouldNeedAtLeastTheMinimumOfMembers() {
        Server server = start(new RoundClosing(RoundClosing.Membership.ANNOUNCED, 2, 0, 1));
        feed(server, join("a", 0));
        feed(server, model("a", 0, 1));
        assertThat(s.round).isZero();
    }

    @Test
    void shouldDeadLetterUpdatesOfClientsThatDidNotAnnounceThemselves() {
        Server server = start(new RoundClosing(RoundClosing.Membership.ANNOUNCED, 1, 0, 1));
        feed(server, model("stranger", 0, 1));
        assertThat(out.rejected)
                .singleElement()
                .satisfies(
                        d -> assertThat(d.reasonCode).isEqualTo(RejectReason.NOT_A_MEMBER.name()));
    }

    @Test
    void shouldStopWaitingForAClientFromItsLeaveRoundOn() {
        Server server = start(new RoundClosing(RoundClosing.Membership.ANNOUNCED, 1, 0, 1));
        feed(server, join("a", 0));
        feed(server, join("b", 0));
        feed(server, ev(ClientUpdate.membership(ClientUpdate.TYPE_LEAVE, "b", "s0", 1)));
        feed(server, model("a", 0, 1));
        feed(server, model("b", 0, 3));
        assertThat(s.round).isEqualTo(1);
        feed(server, model("a", 1, 5));
        assertThat(s.round).as("b left from round 1 on").isEqualTo(2);
        feed(server, model("b", 2, 1));
        assertThat(out.rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(RejectReason.NOT_A_MEMBER.name());
    }

    @Test
    void shouldCountALateJoinFromTheNextOpenRound() {
        Server server = start(new RoundClosing(RoundClosing.Membership.ANNOUNCED, 1, 0, 1));
        feed(server, join("a", 0));
        feed(server, model("a", 0, 1));
        feed(server, join("b", 0)); // round 0 already closed
        assertThat(out.rejected).isEmpty();
        feed(server, model("a", 1, 1));
        assertThat(s.round).as("b is a member of round 1").isEqualTo(1);
        feed(server, model("b", 1, 3));
        assertThat(s.round).isEqualTo(2);
    }

    @Test
    void shouldCloseOnTimeoutOnlyWithAQuorum() {
        Server server = start(new RoundClosing(RoundClosing.Membership.COUNT, 5, 1000, 2));
        feed(server, model("a", 0, 1));
        assertThat(server.onClientTimeout(s, topo, out, 0)).isFalse();
        feed(server, model("b", 0, 3));
        assertThat(server.onClientTimeout(s, topo, out, 0)).isTrue();
        assertThat(s.round).isEqualTo(1);
        assertThat(out.models.get(1).clientsAggregated).isEqualTo(2);
        feed(server, model("c", 0, 1));
        assertThat(out.rejected)
                .extracting(d -> d.reasonCode)
                .containsExactly(RejectReason.STALE_ROUND.name());
    }

    /** The server asks for its round timeout itself and closes on a quorum when it fires. */
    @Test
    void shouldAskForTheRoundTimeoutAndCloseWhenItFiresWithAQuorum() {
        Server server = start(new RoundClosing(RoundClosing.Membership.COUNT, 5, 1000, 2));
        server.armTimeouts(s, 0, out);
        server.armTimeouts(s, 10, out);
        assertThat(out.timers).as("once per wait").containsExactly(1000L);
        feed(server, model("a", 0, 1));
        server.onTimer(s, 1000, topo, out, 0);
        assertThat(s.round).as("one client is below the quorum").isZero();
        assertThat(out.timers).as("it looks again one timeout later").containsExactly(1000L, 2000L);
        feed(server, model("b", 0, 3));
        server.onTimer(s, 1500, topo, out, 0);
        assertThat(s.round).as("a timer of a passed deadline does nothing").isZero();
        server.onTimer(s, 2000, topo, out, 0);
        assertThat(s.round).isEqualTo(1);
        assertThat(out.models.get(1).clientsAggregated).isEqualTo(2);
        server.armTimeouts(s, 2000, out);
        assertThat(out.timers).as("the next round's own timeout").endsWith(3000L);
    }

    private Server start(RoundClosing closing) {
        Server server = new Server(ServerParams.defaults(1).withClosing(closing));
        feed(server, ServerInput.wake("s0"));
        return server;
    }

    private void feed(Server server, ServerInput in) {
        server.onInput(s, in, topo, out, 0);
    }

    private static ServerInput join(String client, long round) {
        return ev(ClientUpdate.membership(ClientUpdate.TYPE_JOIN, client, "s0", round));
    }

    private static ServerInput model(String client, long round, double value) {
        return ev(ClientUpdate.model(client, "s0", round, 1, new double[] {value}));
    }

    private static ServerInput ev(ClientUpdate u) {
        return ServerInput.of(u, new SourceRef("t", 0, 0, null, new byte[0]));
    }
}
