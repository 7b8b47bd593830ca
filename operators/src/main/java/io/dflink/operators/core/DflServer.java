package io.dflink.operators.core;

import io.dflink.records.ClientUpdate;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * DFL's server as a pure state machine (ALGORITHMS.md §1b): publish w^r, collect the expected
 * clients' models of round r, average them weighted by sample count (E2), run T_S consensus steps v
 * <- a_ii v_i + sum_j a_ij v_j with the neighbours of round r's graph (E3, see {@link
 * ConsensusSteps}), publish w^{r+1} = v^{T_S} (E4). Inputs may arrive early (buffered, bounded),
 * twice (ignored) or late (dead-lettered as stale); the result depends only on the inputs' content,
 * never on their arrival order, because sums run in sorted client and neighbour order.
 */
public final class DflServer {

    private final DflParams params;
    private final ConsensusSteps consensus;

    public DflServer(DflParams params) {
        this.params = params;
        this.consensus = new ConsensusSteps(params, this::finishRound);
    }

    /** Handles one input; {@code nowMillis} feeds latency metrics only. */
    public void onInput(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.phase == Phase.WAITING && !tryStart(s, in.serverId, topo, out)) {
            holdUntilNamed(s, in, topo, out);
            return;
        }
        switch (in.kind) {
            case CLIENT_UPDATE:
                onClientUpdate(s, in, topo, out, now);
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
            onInput(s, in, topo, out, now);
        }
    }

    private boolean tryStart(ServerState s, String id, TopologyHistory topo, ServerOutputs out) {
        long first = topo == null ? -1 : topo.firstRoundOf(id);
        if (first < 0) {
            return false;
        }
        s.serverId = id;
        s.round = first;
        s.model = Vec.zeros(params.dim());
        publish(s, out);
        beginClientPhase(s, topo, out, 0);
        return true;
    }

    private void holdUntilNamed(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out) {
        if (topo != null && !topo.isEmpty()) {
            if (in.kind != ServerInput.Kind.WAKE) {
                out.reject(
                        reject(
                                in,
                                RejectReason.UNKNOWN_SERVER,
                                "no graph names server " + in.serverId));
            }
            return;
        }
        if (in.kind == ServerInput.Kind.WAKE) {
            s.waiting.add(in); // keeps the key's state alive until the graph arrives
        } else {
            buffer(s, s.waiting, in, out, params.maxBuffered());
        }
    }

    private void onClientUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ClientUpdate u = in.clientUpdate;
        if (s.phase == Phase.DONE || (params.lastRound() > 0 && u.round >= params.lastRound())) {
            out.reject(
                    reject(
                            in,
                            RejectReason.BEYOND_LAST_ROUND,
                            "round "
                                    + u.round
                                    + " is at or past the last round "
                                    + params.lastRound()));
        } else if (u.round < s.round || (u.round == s.round && s.phase != Phase.CLIENT)) {
            out.reject(
                    reject(
                            in,
                            RejectReason.STALE_ROUND,
                            "round "
                                    + u.round
                                    + " is closed; server "
                                    + s.serverId
                                    + " is at round "
                                    + s.round
                                    + " ("
                                    + s.phase
                                    + ")"));
        } else if (u.round > s.round + params.maxRoundsAhead()) {
            out.reject(
                    reject(
                            in,
                            RejectReason.TOO_FAR_AHEAD,
                            "round "
                                    + u.round
                                    + " is more than "
                                    + params.maxRoundsAhead()
                                    + " rounds ahead of round "
                                    + s.round));
        } else if (u.round > s.round) {
            buffer(s, s.futureUpdates, in, out, params.maxBuffered());
        } else if (s.contributions.containsKey(u.clientId)) {
            s.metrics.duplicateUpdates++;
        } else {
            s.contributions.put(u.clientId, new ClientContribution(u.weight, u.vector));
            s.metrics.clientUpdates++;
            if (s.contributions.size() >= params.clientsPerServer()) {
                closeClientPhase(s, topo, out, now);
            }
        }
    }

    /** E2: the sample-weighted mean of the round's client models, in client-id order. */
    private void closeClientPhase(
            ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        double[] sum = Vec.zeros(params.dim());
        double total = 0;
        for (ClientContribution c : new TreeMap<>(s.contributions).values()) {
            Vec.axpy(c.weight, c.vector, sum);
            total += c.weight;
        }
        Vec.scale(1.0 / total, sum);
        s.clientsAggregated = s.contributions.size();
        s.contributions.clear();
        s.mix = sum;
        consensus.begin(s, topo, out, now);
    }

    /** E4: the round's result becomes the next round's model. */
    private void finishRound(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        s.model = s.mix;
        s.mix = null;
        s.metrics.serverId = s.serverId;
        s.metrics.round = s.round;
        out.metrics(s.metrics);
        s.round++;
        publish(s, out);
        if (params.lastRound() > 0 && s.round >= params.lastRound()) {
            s.phase = Phase.DONE;
            rejectAll(s.futureUpdates, RejectReason.BEYOND_LAST_ROUND, "the run has ended", out);
            s.pendingConsensus.clear();
            return;
        }
        beginClientPhase(s, topo, out, now);
    }

    private void beginClientPhase(
            ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        MixingWeights.Row row = MixingWeights.row(topo.graphAt(s.round), s.serverId);
        s.neighbours = new ArrayList<>(row.neighbours());
        s.neighbourWeights = row.weights();
        s.selfWeight = row.self();
        s.phase = Phase.CLIENT;
        s.metrics = new RoundMetrics();
        consensus.dropNonNeighbours(s, out);
        List<ServerInput> due = new ArrayList<>();
        for (Iterator<ServerInput> it = s.futureUpdates.iterator(); it.hasNext(); ) {
            ServerInput in = it.next();
            if (in.clientUpdate.round == s.round) {
                due.add(in);
                it.remove();
            }
        }
        for (ServerInput in : due) {
            onClientUpdate(s, in, topo, out, now);
        }
    }

    private void publish(ServerState s, ServerOutputs out) {
        ServerModel m = new ServerModel(s.serverId, s.round, s.model.clone());
        m.clientsAggregated = s.clientsAggregated;
        m.consensusSteps = s.round == 0 ? 0 : params.consensusSteps();
        m.lastStepChange = s.lastStepChange;
        m.last = params.lastRound() > 0 && s.round >= params.lastRound();
        out.model(m);
    }

    /** Adds to a buffer, or dead-letters when all buffers together are full. */
    static void buffer(
            ServerState s, List<ServerInput> buffer, ServerInput in, ServerOutputs out, int limit) {
        if (s.buffered() >= limit) {
            out.reject(
                    reject(
                            in,
                            RejectReason.BUFFER_FULL,
                            "server "
                                    + in.serverId
                                    + " already buffers "
                                    + s.buffered()
                                    + " events"));
        } else {
            buffer.add(in);
        }
    }

    static void rejectAll(
            List<ServerInput> inputs, RejectReason reason, String why, ServerOutputs out) {
        for (ServerInput in : inputs) {
            out.reject(reject(in, reason, why));
        }
        inputs.clear();
    }

    static DeadLetter reject(ServerInput in, RejectReason reason, String why) {
        return DeadLetter.of(reason, why, in.source);
    }
}
