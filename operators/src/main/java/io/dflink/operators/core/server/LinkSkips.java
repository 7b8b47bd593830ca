package io.dflink.operators.core.server;

import io.dflink.operators.core.LinkSkip;
import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.records.ConsensusMessage;

import java.util.Iterator;
import java.util.List;

/**
 * How a server stops waiting for a neighbour that does not start a round's consensus (its clients
 * vanished, or it was removed from the graph late), without ever breaking the symmetry of the
 * mixing matrix.
 *
 * <p>A server that has waited too long at step 0 of round r sends {@code skip-request(r)} to each
 * neighbour whose step-0 iterate is missing. The neighbour answers {@code skip-ack(r)} only if it
 * will not use the link in round r (it has not started that round's consensus, or does not consider
 * the requester a neighbour), and from then on leaves the link out of round r; otherwise it stays
 * silent, because its step-0 iterate is already on the way. The requester drops the link only on
 * the ack. Both ends therefore drop the link for the whole round or neither does; the link's weight
 * moves to both diagonals, so the round's matrix stays symmetric and doubly stochastic and the mean
 * of the participating servers is preserved. A server's keyed state is alive as long as the job is,
 * so every request is answered or made moot by the model it awaits.
 */
public final class LinkSkips {

    private LinkSkips() {}

    /** The step-0 timeout: asks every neighbour whose iterate is missing to skip the link. */
    static int requestMissing(ServerState s, ServerOutputs out) {
        if (s.phase != Phase.CONSENSUS || s.step != 0) {
            return 0;
        }
        int asked = 0;
        for (String n : s.neighbours) {
            if (!hasStepZeroFrom(s, n)) {
                out.consensus(control(s.serverId, n, s.round, ConsensusMessage.KIND_SKIP_REQUEST));
                asked++;
            }
        }
        return asked;
    }

    /** Answers a request: acknowledges it unless this server already uses the link. */
    static void onRequest(ServerState s, ConsensusMessage m, ServerOutputs out) {
        boolean usesLink =
                s.round == m.round && s.phase == Phase.CONSENSUS && s.neighbours.contains(m.from);
        if (usesLink) {
            return; // our step-0 iterate was sent when this round's consensus began
        }
        if (s.round < m.round || (s.round == m.round && s.phase == Phase.CLIENT)) {
            agree(s, m.round, m.from);
        }
        out.consensus(control(s.serverId, m.from, m.round, ConsensusMessage.KIND_SKIP_ACK));
    }

    /** Takes an ack: true if the link was dropped from the current step 0. */
    static boolean onAck(ServerState s, ConsensusMessage m) {
        if (s.round != m.round || s.phase != Phase.CONSENSUS || s.step != 0) {
            return false; // a replayed ack of a round this server has left
        }
        if (!s.neighbours.contains(m.from)) {
            return false;
        }
        agree(s, m.round, m.from);
        return true;
    }

    /** At a round's start: leaves out the links agreed for it, forgets older agreements. */
    static void applyAgreed(ServerState s) {
        s.skips.removeIf(k -> k.round < s.round);
        for (LinkSkip k : s.skips) {
            if (k.round == s.round) {
                dropFromRow(s, k.neighbour);
            }
        }
    }

    static boolean isSkipped(ServerState s, long round, String neighbour) {
        for (LinkSkip k : s.skips) {
            if (k.round == round && k.neighbour.equals(neighbour)) {
                return true;
            }
        }
        return false;
    }

    private static void agree(ServerState s, long round, String neighbour) {
        if (!isSkipped(s, round, neighbour)) {
            s.skips.add(new LinkSkip(round, neighbour));
        }
        if (round == s.round) {
            dropFromRow(s, neighbour);
        }
    }

    /** Removes a neighbour from the round's row; its weight goes to the diagonal. */
    private static void dropFromRow(ServerState s, String neighbour) {
        int k = s.neighbours.indexOf(neighbour);
        if (k < 0) {
            return;
        }
        s.selfWeight += s.neighbourWeights[k];
        double[] w = new double[s.neighbourWeights.length - 1];
        System.arraycopy(s.neighbourWeights, 0, w, 0, k);
        System.arraycopy(s.neighbourWeights, k + 1, w, k, w.length - k);
        s.neighbourWeights = w;
        s.neighbours.remove(k);
        s.metrics.skippedLinks++;
        for (Iterator<ServerInput> it = s.pendingConsensus.iterator(); it.hasNext(); ) {
            ConsensusMessage p = it.next().consensus;
            if (p.round == s.round && p.from.equals(neighbour)) {
                it.remove();
            }
        }
    }

    private static boolean hasStepZeroFrom(ServerState s, String neighbour) {
        List<ServerInput> pending = s.pendingConsensus;
        for (ServerInput in : pending) {
            ConsensusMessage p = in.consensus;
            if (p.round == s.round && p.step == 0 && p.from.equals(neighbour)) {
                return true;
            }
        }
        return false;
    }

    private static ConsensusMessage control(String from, String to, long round, String kind) {
        return new ConsensusMessage(from, to, round, 0, kind, new double[0]);
    }
}
