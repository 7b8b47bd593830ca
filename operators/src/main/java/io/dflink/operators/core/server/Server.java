package io.dflink.operators.core.server;

import io.dflink.operators.core.AsyncProgress;
import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.admm.AdmmExchange;
import io.dflink.operators.core.admm.AdmmSteps;
import io.dflink.operators.core.dfl.GossipExchange;
import io.dflink.operators.core.fda.FdaSteps;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.operators.core.lora.LinkActivation;
import io.dflink.operators.core.lora.LoraExchange;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.serverfda.ServerFdaExchange;
import io.dflink.operators.core.serverfda.ServerSync;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;

/**
 * A server as a pure state machine, round by round (docs/algorithms.md §1b, §3, §4, §5.1): publish
 * the round's model; run the client phase ({@link ClientPhase}: DFL's averaging of the clients'
 * models, with {@link FdaSteps} when FDA governs it, or LT-ADMM's local steps on streamed
 * gradients, {@link AdmmSteps}); exchange with the neighbours of the round's graph ({@link
 * ConsensusSteps} with DFL's T_S gossip steps, LT-ADMM's z-exchange, or decentralised LoRA's mixing
 * of factors over the round's active links, {@link LoraExchange}); publish the next round's model.
 * Inputs may arrive early (buffered, bounded), twice (ignored) or late (dead-lettered); the models
 * depend only on the inputs' content, never on their arrival order, because every sum runs in a
 * fixed (sorted) order. Every input and output is counted by kind for the round's metrics ({@link
 * Accounting}).
 */
public final class Server {

    private final ServerParams params;
    private final ClientPhase clients;
    private final Exchange exchange;
    private final ConsensusSteps consensus;

    public Server(ServerParams params) {
        this.params = params;
        this.exchange = exchange(params);
        this.consensus = new ConsensusSteps(params, exchange, this::finishRound);
        this.clients = new ClientPhase(params, consensus::begin);
    }

    private static Exchange exchange(ServerParams params) {
        if (params.serverFda().sync() != ServerSync.ALWAYS) {
            return new ServerFdaExchange(
                    params.serverFda(),
                    new GossipExchange(params.consensusSteps(), params.gossipClipRadius()),
                    params.dim(),
                    params.lastRound());
        }
        if (params.admm() != null) {
            return new AdmmExchange(params.admm());
        }
        return params.lora() != null
                ? new LoraExchange(params.lora(), params.gossipClipRadius())
                : new GossipExchange(params.consensusSteps(), params.gossipClipRadius());
        // DFL and DFL with an asynchronous client phase gossip alike
    }

    /** Handles one input; {@code now} (milliseconds) feeds latency metrics only. */
    public void onInput(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        Accounting.received(s, in);
        handle(s, in, topo, counting(s, out), now);
    }

    private void handle(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.phase == Phase.WAITING && !tryStart(s, in.serverId, topo, out, now)) {
            holdUntilNamed(s, in, topo, out);
            return;
        }
        if (in.kind == ServerInput.Kind.CONSENSUS
                && ConsensusMessage.KIND_JOIN_MODEL.equals(in.consensus.kind)) {
            onJoinModel(s, in, topo, out, now);
            return;
        }
        if (s.phase == Phase.JOINING) {
            if (in.kind != ServerInput.Kind.WAKE) {
                Inputs.buffer(s, s.waiting, in, out, params.maxBuffered()); // after the join
            }
            return;
        }
        switch (in.kind) {
            case CLIENT_UPDATE:
                clients.onUpdate(s, in, topo, out, now);
                break;
            case CONSENSUS:
                consensus.onMessage(s, in, topo, out, now);
                break;
            default:
                break; // a wake-up only starts the server
        }
    }

    /** Called after a topology change: starts a waiting server and replays what it held. */
    public void onTopologyChange(
            ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.phase != Phase.WAITING || s.waiting.isEmpty()) {
            return;
        }
        List<ServerInput> held = new ArrayList<>(s.waiting);
        s.waiting.clear();
        for (ServerInput in : held) {
            handle(s, in, topo, counting(s, out), now);
        }
    }

    /**
     * Asks, once per wait, for the timeouts the server's current wait needs ({@link
     * ServerOutputs#timer}): the client phase's ({@link RoundClosing}; FDA and LT-ADMM give every
     * wait of a round its own) and the consensus start's ({@link LinkSkips}), when they are
     * configured. {@code timeMillis} is the caller's processing time.
     */
    public void armTimeouts(ServerState s, long timeMillis, ServerOutputs out) {
        long clientTimeout = params.closing().timeoutMillis();
        if (clientTimeout > 0 && s.phase == Phase.CLIENT && s.timerRound != s.round) {
            s.timerRound = s.round;
            s.roundDeadline = timeMillis + clientTimeout;
            out.timer(s.roundDeadline);
        }
        long skipTimeout = params.consensusTimeoutMillis();
        if (skipTimeout > 0 && s.phase == Phase.CONSENSUS && s.skipTimerRound != s.round) {
            s.skipTimerRound = s.round;
            s.skipDeadline = timeMillis + skipTimeout;
            out.timer(s.skipDeadline);
        }
    }

    /**
     * A timer asked for by {@link #armTimeouts} fired at {@code timestamp}: runs the timeout it
     * belongs to if that wait is still on (a timer of a passed wait finds nothing to do). Below the
     * quorum the client phase keeps waiting and asks to look again one timeout later.
     */
    public void onTimer(
            ServerState s, long timestamp, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.phase == Phase.CLIENT && s.round == s.timerRound && timestamp >= s.roundDeadline) {
            if (!onClientTimeout(s, topo, out, now)) {
                s.roundDeadline = timestamp + params.closing().timeoutMillis();
                out.timer(s.roundDeadline);
            }
        }
        if (s.phase == Phase.CONSENSUS
                && s.step == 0
                && s.round == s.skipTimerRound
                && timestamp >= s.skipDeadline) {
            onConsensusTimeout(s, out);
        }
    }

    /**
     * The client-phase timeout of {@link RoundClosing}: closes the current round if enough clients
     * have reported. Returns false when the server is still waiting (re-arm the timer).
     */
    public boolean onClientTimeout(
            ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        return clients.onTimeout(s, topo, counting(s, out), now);
    }

    /**
     * The consensus-start timeout: if the server still waits for step-0 iterates of the round, it
     * asks those neighbours to skip their link for the round ({@link LinkSkips}).
     */
    public void onConsensusTimeout(ServerState s, ServerOutputs out) {
        consensus.onTimeout(s, counting(s, out));
    }

    private boolean tryStart(
            ServerState s, String id, TopologyHistory topo, ServerOutputs out, double now) {
        long first = topo == null ? -1 : topo.firstRoundOf(id);
        if (first < 0) {
            return false;
        }
        s.serverId = id;
        s.round = first;
        s.model = params.lora() != null ? params.lora().initialModel() : Vec.zeros(params.dim());
        s.metrics = new RoundMetrics();
        if (params.async() != null) {
            s.async = new AsyncProgress();
        }
        if (!JoiningServer.establishedNeighbours(topo, id, first).isEmpty()) {
            s.phase = Phase.JOINING; // a running federation: start from its models, not from 0
            return true;
        }
        publish(s, out);
        beginRound(s, topo, out, now);
        return true;
    }

    /**
     * A neighbour's model for a server that joins: the joiner takes it towards its first model;
     * anyone else has it already (a replay after a restore) and drops it.
     */
    private void onJoinModel(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ConsensusMessage m = in.consensus;
        if (s.phase != Phase.JOINING || m.round != s.round) {
            s.metrics.duplicateConsensusMessages++;
            return;
        }
        if (!JoiningServer.establishedNeighbours(topo, s.serverId, s.round).contains(m.from)) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.NOT_A_NEIGHBOUR,
                            m.from
                                    + " is not an established neighbour of "
                                    + s.serverId
                                    + ", which joins in round "
                                    + s.round));
            return;
        }
        if (JoiningServer.holds(s, m.from)) {
            s.metrics.duplicateConsensusMessages++;
            return;
        }
        Inputs.buffer(s, s.pendingConsensus, in, out, params.maxBuffered());
        double[] first = JoiningServer.firstModel(s, topo);
        if (first == null) {
            return;
        }
        s.model = first;
        List<ServerInput> held = new ArrayList<>(s.waiting);
        s.waiting.clear();
        publish(s, out);
        beginRound(s, topo, out, now);
        for (ServerInput h : held) {
            handle(s, h, topo, out, now);
        }
    }

    private void holdUntilNamed(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out) {
        if (topo != null && !topo.isEmpty()) {
            if (in.kind != ServerInput.Kind.WAKE) {
                out.reject(
                        Inputs.reject(
                                in,
                                RejectReason.UNKNOWN_SERVER,
                                "no graph names server " + in.serverId));
            }
        } else if (in.kind == ServerInput.Kind.WAKE) {
            s.waiting.add(in); // keeps the key's state alive until the graph arrives
        } else {
            Inputs.buffer(s, s.waiting, in, out, params.maxBuffered());
        }
    }

    /** E4: the round's result becomes the next round's model. */
    private void finishRound(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        s.model = s.mix;
        s.mix = null;
        s.metrics.serverId = s.serverId;
        s.metrics.round = s.round;
        out.metrics(s.metrics);
        s.round++;
        s.metrics = new RoundMetrics();
        if (s.async != null) {
            s.async.version++; // the consensus result is a version of its own
        }
        publish(s, out);
        if (params.lastRound() > 0 && s.round >= params.lastRound()) {
            s.phase = Phase.DONE;
            Inputs.rejectAll(
                    s.futureUpdates, RejectReason.BEYOND_LAST_ROUND, "the run has ended", out);
            if (s.async != null) {
                Inputs.rejectAll(
                        s.async.buffer, RejectReason.BEYOND_LAST_ROUND, "the run has ended", out);
            }
            s.pendingConsensus.clear();
            return;
        }
        beginRound(s, topo, out, now);
    }

    private void beginRound(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        Graph graph = topo.graphAt(s.round);
        MixingWeights.Row row = MixingWeights.row(roundGraph(graph, s.round), s.serverId);
        s.duals.keySet().retainAll(row.neighbours()); // a removed edge's variables are dropped
        s.neighbours = new ArrayList<>(row.neighbours());
        s.neighbourWeights = row.weights();
        s.selfWeight = row.self();
        s.metrics.graphComponents = graph.components();
        JoiningServer.welcome(s, topo, out);
        LinkSkips.applyAgreed(s);
        consensus.dropNonNeighbours(s, out);
        clients.begin(s, topo, out, now);
    }

    /**
     * The graph the round mixes over: the topology's, or under decentralised LoRA its links that
     * are active in the round ({@link LinkActivation}: every server computes the same subset, so
     * the Metropolis-Hastings weights agree at both ends of each link).
     */
    private Graph roundGraph(Graph graph, long round) {
        LoraParams lora = params.lora();
        return lora == null
                ? graph
                : LinkActivation.activeGraph(graph, lora.seed(), round, lora.linkProbability());
    }

    private void publish(ServerState s, ServerOutputs out) {
        ServerModel m = new ServerModel(s.serverId, s.round, s.model.clone());
        m.clientsAggregated = s.clientsAggregated;
        m.consensusSteps = s.round == 0 ? 0 : exchange.modelSteps(s);
        m.consensusError = s.consensusError;
        m.last = params.lastRound() > 0 && s.round >= params.lastRound();
        if (params.fda() != null && !m.last) {
            m.fda = params.fda().settings();
        }
        if (params.admm() != null && !m.last) {
            m.admm = params.admm().settings();
        }
        if (params.lora() != null && !m.last) {
            m.lora = params.lora().settings();
        }
        if (s.async != null) {
            m.version = s.async.version;
            m.async = m.last ? null : params.async().settings();
        }
        out.model(m);
    }

    /** {@code out}, counting the server's traffic into its round metrics. */
    private ServerOutputs counting(ServerState s, ServerOutputs out) {
        return Accounting.counting(s, out, params.encoding(), clients);
    }
}
