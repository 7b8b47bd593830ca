package io.dflink.operators.core.server;

import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.RejectReason;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The server phase: synchronous steps over the round's graph, each completing when the server holds
 * the step's message of every neighbour; what is sent and what a step does is the algorithm's
 * {@link Exchange} (DFL's T_S gossip steps, LT-ADMM's z-exchange). Messages are idempotent by
 * (from, round, step, kind): duplicates are counted and dropped, early ones buffered, finished ones
 * dropped. Terminates because every server of a connected graph sends exactly one message per
 * neighbour and step, and waits only for messages that are sent.
 */
final class ConsensusSteps {

    /** What runs when the T_S steps are done. */
    interface RoundEnd {
        void finish(ServerState s, TopologyHistory topo, ServerOutputs out, double now);
    }

    private final ServerParams params;
    private final Exchange exchange;
    private final RoundEnd roundEnd;

    ConsensusSteps(ServerParams params, Exchange exchange, RoundEnd roundEnd) {
        this.params = params;
        this.exchange = exchange;
        this.roundEnd = roundEnd;
    }

    /** Starts the server phase from s.mix, the client phase's result. */
    void begin(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        s.step = 0;
        s.consensusError = 0;
        if (exchange.steps() == 0 || s.neighbours.isEmpty()) {
            roundEnd.finish(s, topo, out, now);
            return;
        }
        exchange.begin(s, topo.graphAt(s.round));
        if (exchange.steps(s) == 0) {
            roundEnd.finish(s, topo, out, now);
            return;
        }
        s.phase = Phase.CONSENSUS;
        s.metrics.stepMillis = new double[exchange.steps(s)];
        send(s, out, now);
        advance(s, topo, out, now);
    }

    void onMessage(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ConsensusMessage m = in.consensus;
        if (m.isSkipControl()) {
            onSkipControl(s, in, topo, out, now);
        } else if (!exchange.accepts(m)) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.UNKNOWN_TYPE,
                            "server "
                                    + s.serverId
                                    + " takes no consensus message of kind '"
                                    + m.kind
                                    + "' in round "
                                    + m.round));
        } else if (isFinished(s, m)) {
            s.metrics.duplicateConsensusMessages++; // a replay of a step already taken
        } else if (LinkSkips.isSkipped(s, m.round, m.from)) {
            s.metrics.skippedMessages++; // the link is out of this round by agreement
        } else if (m.round == s.round && !s.neighbours.contains(m.from)) {
            out.reject(notNeighbour(in, s));
        } else if (m.round > s.round + params.maxRoundsAhead()
                || m.step >= Math.max(1, exchange.steps())) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.TOO_FAR_AHEAD,
                            "round "
                                    + m.round
                                    + " step "
                                    + m.step
                                    + " is beyond what server "
                                    + s.serverId
                                    + " at round "
                                    + s.round
                                    + " can wait for"));
        } else if (isPending(s, m)) {
            s.metrics.duplicateConsensusMessages++;
        } else {
            Inputs.buffer(s, s.pendingConsensus, in, out, params.maxBuffered());
            advance(s, topo, out, now);
        }
    }

    /**
     * At a round's start: drops early messages over links skipped for the round, dead-letters those
     * from servers that are not neighbours.
     */
    void dropNonNeighbours(ServerState s, ServerOutputs out) {
        for (Iterator<ServerInput> it = s.pendingConsensus.iterator(); it.hasNext(); ) {
            ServerInput in = it.next();
            ConsensusMessage m = in.consensus;
            if (m.round == s.round && !s.neighbours.contains(m.from)) {
                if (LinkSkips.isSkipped(s, m.round, m.from)) {
                    s.metrics.skippedMessages++;
                } else {
                    out.reject(notNeighbour(in, s));
                }
                it.remove();
            }
        }
    }

    /** The consensus-start timeout fired: asks missing neighbours to skip their link. */
    void onTimeout(ServerState s, ServerOutputs out) {
        LinkSkips.requestMissing(s, out);
    }

    private void onSkipControl(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ConsensusMessage m = in.consensus;
        if (ConsensusMessage.KIND_SKIP_ACK.equals(m.kind)) {
            if (LinkSkips.onAck(s, m)) {
                advance(s, topo, out, now);
            } else {
                s.metrics.duplicateConsensusMessages++;
            }
        } else if (s.skips.size() >= params.maxBuffered()) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.BUFFER_FULL,
                            "server "
                                    + s.serverId
                                    + " already holds "
                                    + s.skips.size()
                                    + " skip agreements"));
        } else {
            LinkSkips.onRequest(s, m, out);
        }
    }

    private void advance(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        while (s.phase == Phase.CONSENSUS) {
            ConsensusMessage[] received = collect(s);
            if (received == null) {
                return;
            }
            consume(s);
            s.metrics.consensusMessagesReceived += received.length;
            s.metrics.stepMillis[s.step] = now - s.stepStartedMillis;
            exchange.apply(s, Arrays.asList(received));
            s.step++;
            if (s.step == exchange.steps(s)) {
                if (s.metrics.stepMillis.length > s.step) { // the round's consensus did not run
                    s.metrics.stepMillis = Arrays.copyOf(s.metrics.stepMillis, s.step);
                }
                roundEnd.finish(s, topo, out, now);
                return;
            }
            send(s, out, now);
        }
    }

    /** Step s's messages of all neighbours, in neighbour order, or null if one is missing. */
    private ConsensusMessage[] collect(ServerState s) {
        ConsensusMessage[] received = new ConsensusMessage[s.neighbours.size()];
        int found = 0;
        for (ServerInput in : s.pendingConsensus) {
            ConsensusMessage m = in.consensus;
            if (m.round == s.round && m.step == s.step && exchange.belongsToStep(s, m)) {
                int k = s.neighbours.indexOf(m.from);
                if (k >= 0 && received[k] == null) {
                    received[k] = m;
                    found++;
                }
            }
        }
        return found == received.length ? received : null;
    }

    private void consume(ServerState s) {
        s.pendingConsensus.removeIf(
                in ->
                        in.consensus.round == s.round
                                && in.consensus.step == s.step
                                && exchange.belongsToStep(s, in.consensus));
    }

    private void send(ServerState s, ServerOutputs out, double now) {
        for (String n : s.neighbours) {
            ConsensusMessage m = exchange.messageTo(s, n);
            out.consensus(m);
            s.metrics.consensusValuesSent += m.vector.length;
        }
        s.metrics.consensusMessagesSent += s.neighbours.size();
        s.stepStartedMillis = now;
    }

    private static boolean isFinished(ServerState s, ConsensusMessage m) {
        if (m.round != s.round) {
            return m.round < s.round;
        }
        return s.phase == Phase.CONSENSUS ? m.step < s.step : s.phase == Phase.DONE;
    }

    private static boolean isPending(ServerState s, ConsensusMessage m) {
        List<ServerInput> pending = s.pendingConsensus;
        for (ServerInput in : pending) {
            ConsensusMessage p = in.consensus;
            if (p.round == m.round && p.step == m.step && p.from.equals(m.from)) {
                return true;
            }
        }
        return false;
    }

    private static io.dflink.records.DeadLetter notNeighbour(ServerInput in, ServerState s) {
        return Inputs.reject(
                in,
                RejectReason.NOT_A_NEIGHBOUR,
                in.consensus.from
                        + " is not a neighbour of "
                        + s.serverId
                        + " in round "
                        + s.round);
    }
}
