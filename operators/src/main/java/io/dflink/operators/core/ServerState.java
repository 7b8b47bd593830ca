package io.dflink.operators.core;

import io.dflink.operators.core.server.LinkSkips;
import io.dflink.records.RoundMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one server keeps between events: its round and phase, its model, the current round's
 * client contributions and consensus iterate, its mixing row for the round, FDA's or LT-ADMM's
 * progress within the round, LT-ADMM's edge variables, and bounded buffers for early inputs. A
 * Flink POJO of {@code double[]}s, lists and maps: no Kryo (a test checks it).
 */
public class ServerState {
    public String serverId;
    public Phase phase = Phase.WAITING;
    public long round;

    /** Consensus step within the round (0..T_S-1) while in {@link Phase#CONSENSUS}. */
    public int step;

    /** w_i^round: the model published at the start of the round. */
    public double[] model;

    /** v_i^step: the consensus iterate. */
    public double[] mix;

    /** This round's mixing row: sorted neighbours, their weights, own weight. */
    public List<String> neighbours = new ArrayList<>();

    public double[] neighbourWeights = new double[0];
    public double selfWeight = 1.0;

    /** Accepted client updates of the current round, by client id. */
    public Map<String, ClientContribution> contributions = new HashMap<>();

    /** FDA: the step and kind of input the client phase waits for; null without FDA. */
    public FdaProgress fda;

    /** LT-ADMM: the local phase's step, iterate, penalty and gradients; null without LT-ADMM. */
    public AdmmProgress admm;

    /** Asynchronous client phase: version, buffered deltas and the round's buffers; else null. */
    public AsyncProgress async;

    /** Server-tier FDA's flood, decision and last consensus round; null under ALWAYS. */
    public ServerFdaProgress serverFda;

    /** LT-ADMM: the edge variables z_ij, by neighbour id, kept across rounds. */
    public Map<String, double[]> duals = new HashMap<>();

    /** Clients that announced themselves (join/leave), by client id. */
    public Map<String, MemberSpan> members = new HashMap<>();

    /** The round whose client-phase timeout is armed, or -1. */
    public long timerRound = -1;

    /** Processing-time deadline of the client-phase timeout, or -1. */
    public long roundDeadline = -1;

    /** The round whose consensus-start timeout is armed, or -1 ({@link LinkSkips}). */
    public long skipTimerRound = -1;

    /** Processing-time deadline of the consensus-start timeout, or -1. */
    public long skipDeadline = -1;

    /** Links agreed to be left out of the current or a later round. */
    public List<LinkSkip> skips = new ArrayList<>();

    /** Client updates for later rounds. */
    public List<ServerInput> futureUpdates = new ArrayList<>();

    /** Consensus messages of the current or later rounds not yet consumed. */
    public List<ServerInput> pendingConsensus = new ArrayList<>();

    /** Inputs that arrived before the topology named this server. */
    public List<ServerInput> waiting = new ArrayList<>();

    public int clientsAggregated;

    /** Largest distance to a neighbour's iterate in the last consensus step taken. */
    public double consensusError;

    /** Wall-clock start of the current consensus step, for latency metrics only. */
    public double stepStartedMillis;

    public RoundMetrics metrics = new RoundMetrics();

    public ServerState() {}

    /** Events held in all buffers together. */
    public int buffered() {
        return futureUpdates.size()
                + pendingConsensus.size()
                + waiting.size()
                + (async == null ? 0 : async.buffer.size());
    }
}
