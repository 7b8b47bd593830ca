package io.dflink.operators.core.server;

import io.dflink.operators.core.MemberSpan;
import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.admm.AdmmSteps;
import io.dflink.operators.core.async.AsyncSteps;
import io.dflink.operators.core.dfl.ModelAveraging;
import io.dflink.operators.core.fda.FdaSteps;
import io.dflink.operators.core.lora.FactorAveraging;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The client phase on the server: what every algorithm shares. It collects the round's client
 * updates and announcements, refuses what cannot count (closed or far-future rounds, updates of
 * non-members, kinds the algorithm does not take), buffers early updates, and hands the rest to the
 * algorithm's {@link ClientProtocol} (DFL's model averaging, FDA's lock-step protocol, LT-ADMM's
 * streamed local steps, LoRA's factor averaging), chosen once from the params. The protocol ends
 * the phase with {@link #finish}; when a round or step is complete follows {@link RoundClosing}.
 */
public final class ClientPhase {

    /** What runs once the round's average is known. */
    interface Closed {
        void next(ServerState s, TopologyHistory topo, ServerOutputs out, double now);
    }

    private final ServerParams params;
    private final RoundClosing closing;
    private final Closed closed;
    private final ClientProtocol protocol;

    ClientPhase(ServerParams params, Closed closed) {
        this.params = params;
        this.closing = params.closing();
        this.closed = closed;
        this.protocol = protocol(params, this);
    }

    /** The algorithm's part of the client phase, chosen once from the params. */
    private static ClientProtocol protocol(ServerParams params, ClientPhase phase) {
        if (params.async() != null) {
            return new AsyncSteps(params.async(), phase, params.bound(), params.maxBuffered());
        }
        if (params.admm() != null) {
            return new AdmmSteps(params.admm(), phase, params.bound());
        }
        if (params.fda() != null) {
            return new FdaSteps(
                    params.fda(),
                    phase,
                    new ClientAveraging(params.aggregation(), params.bound(), true));
        }
        return params.lora() != null
                ? new FactorAveraging(params.lora(), phase, params.aggregation(), params.bound())
                : new ModelAveraging(phase, params.aggregation(), params.bound());
    }

    /** Opens the round: replays the updates buffered for it. */
    void begin(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        s.phase = Phase.CLIENT;
        s.fda = null;
        s.admm = null;
        protocol.open(s);
        s.members.values().removeIf(span -> span.until <= s.round); // left for good: forget them
        List<ServerInput> due = new ArrayList<>();
        for (Iterator<ServerInput> it = s.futureUpdates.iterator(); it.hasNext(); ) {
            ServerInput in = it.next();
            if (in.clientUpdate.round == s.round) {
                due.add(in);
                it.remove();
            }
        }
        for (ServerInput in : due) {
            onUpdate(s, in, topo, out, now);
        }
        if (s.phase == Phase.CLIENT) {
            protocol.resume(s, topo, out, now);
        }
    }

    void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ClientUpdate u = in.clientUpdate;
        if (u.isDelta()) {
            onDelta(s, in, topo, out, now);
            return;
        }
        Refusal refusal = refusal(s, u);
        if (u.isMembership() && (refusal == null || refusal.reason() == RejectReason.STALE_ROUND)) {
            announce(s, u, openRound(s));
            if (s.phase == Phase.CLIENT) {
                protocol.onMembership(s, topo, out, now);
            }
        } else if (refusal != null) {
            out.reject(Inputs.reject(in, refusal.reason(), refusal.why()));
        } else if (u.round > s.round) {
            Inputs.buffer(s, s.futureUpdates, in, out, params.maxBuffered());
        } else if (closing.membership() == RoundClosing.Membership.ANNOUNCED
                && !isMember(s, u.clientId, u.round)) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.NOT_A_MEMBER,
                            u.clientId
                                    + " has not announced itself to "
                                    + s.serverId
                                    + " for round "
                                    + u.round));
        } else if (!protocol.takes(u)) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.UNEXPECTED_STEP,
                            "server "
                                    + s.serverId
                                    + " runs "
                                    + protocol.name()
                                    + ": no "
                                    + u.type
                                    + (u.factor == null ? "" : " of factor " + u.factor)
                                    + " in round "
                                    + u.round));
        } else {
            protocol.onUpdate(s, in, topo, out, now);
        }
    }

    /**
     * A delta is not bound to a round: the asynchronous protocol takes it in any phase (it waits in
     * the buffer through a consensus) until the run ends.
     */
    private void onDelta(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.phase == Phase.DONE) {
            out.reject(Inputs.reject(in, RejectReason.BEYOND_LAST_ROUND, "the run has ended"));
        } else if (!protocol.takes(in.clientUpdate)) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.UNEXPECTED_STEP,
                            "server " + s.serverId + " runs " + protocol.name() + ": no delta"));
        } else {
            protocol.onUpdate(s, in, topo, out, now);
        }
    }

    /** The round's timeout: closes it with whatever arrived if that meets the quorum. */
    boolean onTimeout(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        return s.phase == Phase.CLIENT && protocol.onTimeout(s, closing.quorum(), topo, out, now);
    }

    private record Refusal(RejectReason reason, String why) {}

    /** Why the update cannot be taken at all in the server's current round, or null. */
    private Refusal refusal(ServerState s, ClientUpdate u) {
        if (s.phase == Phase.DONE || (params.lastRound() > 0 && u.round >= params.lastRound())) {
            return new Refusal(
                    RejectReason.BEYOND_LAST_ROUND,
                    "round " + u.round + " is at or past the last round " + params.lastRound());
        }
        if (u.round < s.round || (u.round == s.round && s.phase != Phase.CLIENT)) {
            return new Refusal(
                    RejectReason.STALE_ROUND,
                    "round "
                            + u.round
                            + " is closed; server "
                            + s.serverId
                            + " is at round "
                            + s.round
                            + " ("
                            + s.phase
                            + ")");
        }
        if (u.round > s.round + params.maxRoundsAhead()) {
            return new Refusal(
                    RejectReason.TOO_FAR_AHEAD,
                    "round "
                            + u.round
                            + " is more than "
                            + params.maxRoundsAhead()
                            + " rounds ahead of round "
                            + s.round);
        }
        return null;
    }

    /** The first round whose client phase is still open. */
    private static long openRound(ServerState s) {
        return s.phase == Phase.CLIENT ? s.round : s.round + 1;
    }

    /** Records a join or leave; one for a round already closed takes effect from the open round. */
    private static void announce(ServerState s, ClientUpdate u, long openRound) {
        long round = Math.max(u.round, openRound);
        MemberSpan span = s.members.computeIfAbsent(u.clientId, k -> new MemberSpan(round));
        if (ClientUpdate.TYPE_JOIN.equals(u.type)) {
            span.from = round;
            span.until = Long.MAX_VALUE;
        } else {
            span.until = round;
        }
    }

    private static boolean isMember(ServerState s, String client, long round) {
        MemberSpan span = s.members.get(client);
        return span != null && span.covers(round);
    }

    /** Whether every client the round waits for is among {@code reported} (keyed by client id). */
    public boolean isComplete(ServerState s, Map<String, ?> reported) {
        if (closing.membership() == RoundClosing.Membership.COUNT) {
            return reported.size() >= closing.clients();
        }
        int members = 0;
        for (Map.Entry<String, MemberSpan> m : s.members.entrySet()) {
            if (m.getValue().covers(s.round)) {
                if (!reported.containsKey(m.getKey())) {
                    return false;
                }
                members++;
            }
        }
        return members >= closing.clients();
    }

    /** Ends the client phase with the round's average: the consensus starts from it. */
    public void finish(
            ServerState s,
            double[] average,
            int clients,
            TopologyHistory topo,
            ServerOutputs out,
            double now) {
        s.clientsAggregated = clients;
        s.mix = average;
        closed.next(s, topo, out, now);
    }

    /**
     * How many clients receive what the server sends them this round: the count it waits for, or
     * the announced members.
     */
    int audience(ServerState s) {
        if (closing.membership() == RoundClosing.Membership.COUNT) {
            return closing.clients();
        }
        int members = 0;
        for (MemberSpan span : s.members.values()) {
            if (span.covers(s.round)) {
                members++;
            }
        }
        return members;
    }
}
