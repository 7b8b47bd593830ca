package io.dflink.operators.core;

import io.dflink.operators.core.lora.LoraParams;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client phase on the server: collect the round's client updates and announcements, decide when
 * the round (or, under FDA and LT-ADMM, each step) is complete ({@link RoundClosing}), and produce
 * the phase's result. DFL (ALGORITHMS.md §1b E1-E2) averages the models weighted by sample count;
 * {@link FdaSteps} and {@link AdmmSteps} take over the per-step protocol when configured. Sums run
 * in client-id order so that the result does not depend on arrival order. Early inputs are
 * buffered; inputs for closed rounds are dead-lettered.
 */
final class ClientPhase {

    /** What runs once the round's average is known. */
    interface Closed {
        void next(ServerState s, TopologyHistory topo, ServerOutputs out, double now);
    }

    private final DflParams params;
    private final RoundClosing closing;
    private final Closed closed;
    private final FdaSteps fda;
    private final AdmmSteps admm;

    ClientPhase(DflParams params, Closed closed) {
        this.params = params;
        this.closing = params.closing();
        this.closed = closed;
        this.fda = params.fda() == null ? null : new FdaSteps(params.fda(), this);
        this.admm = params.admm() == null ? null : new AdmmSteps(params.admm(), this);
    }

    /** Opens the round: replays the updates buffered for it. */
    void begin(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        s.phase = Phase.CLIENT;
        s.fda = fda == null ? null : fda.begin();
        s.admm = admm == null ? null : admm.begin(s);
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
    }

    void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ClientUpdate u = in.clientUpdate;
        Refusal refusal = refusal(s, u);
        if (u.isMembership() && (refusal == null || refusal.reason() == RejectReason.STALE_ROUND)) {
            announce(s, u, openRound(s));
            closeIfComplete(s, topo, out, now);
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
        } else if (!expects(u)) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.UNEXPECTED_STEP,
                            "server "
                                    + s.serverId
                                    + " runs "
                                    + algorithm()
                                    + ": no "
                                    + u.type
                                    + (u.factor == null ? "" : " of factor " + u.factor)
                                    + " in round "
                                    + u.round));
        } else if (fda != null) {
            fda.onUpdate(s, in, topo, out, now);
        } else if (admm != null) {
            admm.onUpdate(s, in, topo, out, now);
        } else if (s.contributions.containsKey(u.clientId)) {
            s.metrics.duplicateUpdates++; // the first update of a round is the one that counts
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.DUPLICATE,
                            u.clientId + " already contributed to round " + u.round));
        } else {
            s.contributions.put(u.clientId, new ClientContribution(u.weight, u.vector));
            s.metrics.clientUpdates++;
            closeIfComplete(s, topo, out, now);
        }
    }

    /** The round's timeout: closes it with whatever arrived if that meets the quorum. */
    boolean onTimeout(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        if (fda != null) {
            return s.phase == Phase.CLIENT && fda.onTimeout(s, closing.quorum(), topo, out, now);
        }
        if (admm != null) {
            return s.phase == Phase.CLIENT && admm.onTimeout(s, closing.quorum(), topo, out, now);
        }
        if (s.phase != Phase.CLIENT || s.contributions.size() < closing.quorum()) {
            return false;
        }
        close(s, topo, out, now);
        return true;
    }

    /** Whether the server's algorithm takes this kind of update in its client phase. */
    private boolean expects(ClientUpdate u) {
        if (admm != null) {
            return u.isGradient();
        }
        if (params.lora() != null) {
            return u.isModel()
                    && LoraParams.factorNamed(u.factor) == params.lora().trained(u.round);
        }
        return fda != null ? u.isModel() || u.isFdaState() : u.isModel();
    }

    private String algorithm() {
        if (params.lora() != null) {
            return params.lora().variant() + ", which takes only models of the trained factor";
        }
        return admm != null ? "LT-ADMM" : fda != null ? "DFL with FDA" : "DFL";
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

    private void closeIfComplete(
            ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.phase == Phase.CLIENT && isComplete(s)) {
            close(s, topo, out, now);
        }
    }

    private boolean isComplete(ServerState s) {
        return isComplete(s, s.contributions);
    }

    /** Whether every client the round waits for is among {@code reported} (keyed by client id). */
    boolean isComplete(ServerState s, Map<String, ?> reported) {
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

    /**
     * E2: the sample-weighted mean of the round's client models, in client-id order. Under
     * decentralised LoRA the clients send only the trained factor: its mean replaces it in the
     * server's model, the frozen factor stays.
     */
    private void close(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        int n = s.contributions.size();
        double[] weights = new double[n];
        double[][] vectors = new double[n][];
        double total = 0;
        int k = 0;
        for (ClientContribution c : new TreeMap<>(s.contributions).values()) {
            weights[k] = c.weight;
            vectors[k++] = c.vector;
            total += c.weight;
        }
        double[] sum = Vec.weightedSum(weights, vectors);
        Vec.scale(1.0 / total, sum);
        int clients = s.contributions.size();
        s.contributions.clear();
        LoraParams lora = params.lora();
        double[] average = lora == null ? sum : lora.withPart(s.model, lora.trained(s.round), sum);
        finish(s, average, clients, topo, out, now);
    }

    /** Ends the client phase with the round's average: the consensus starts from it. */
    void finish(
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
