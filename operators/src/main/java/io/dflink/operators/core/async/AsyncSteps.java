package io.dflink.operators.core.async;

import io.dflink.operators.core.AsyncProgress;
import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.robust.Bounded;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.server.ClientAveraging;
import io.dflink.operators.core.server.ClientPhase;
import io.dflink.operators.core.server.ClientProtocol;
import io.dflink.operators.core.server.Inputs;
import io.dflink.operators.core.server.ServerOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The asynchronous client phase (docs/algorithms.md §7): devices upload {@code delta}s trained from
 * whatever version of the server's model they last saw; the server appends them to a buffer in
 * arrival order and, every K deltas, applies their staleness-weighted mean ({@link BufferedUpdate})
 * and publishes the next version. After V buffers the round ends and the consensus with the
 * neighbours runs as in DFL; deltas that arrive meanwhile wait in the buffer.
 *
 * <p>Reproducible by construction: the buffer boundaries are every K-th delta of the server's log,
 * never a time; staleness is measured when a buffer is applied, against the version reached by
 * then, which is a function of the log too (a buffer waits for the round's consensus to end). So a
 * replay of the same log, after a failure or not, gives the same versions bit for bit. Deltas
 * staler than the bound are dead-lettered {@code TOO_STALE} when their buffer is applied; deltas
 * claiming a version the server has not published yet, {@code INVALID_VALUE}. Bounded influence
 * applies to each buffer's deltas, measured from zero.
 */
public final class AsyncSteps implements ClientProtocol {

    private final AsyncParams async;
    private final ClientPhase phase;
    private final InfluenceBound bound;
    private final int maxBuffered;

    public AsyncSteps(AsyncParams async, ClientPhase phase, InfluenceBound bound, int maxBuffered) {
        this.async = async;
        this.phase = phase;
        this.bound =
                new InfluenceBound(
                        bound.weightRatio(), bound.distanceRatio(), InfluenceBound.Action.CLIP);
        this.maxBuffered = maxBuffered;
    }

    @Override
    public String name() {
        return "the asynchronous client phase, which takes only deltas";
    }

    @Override
    public boolean takes(ClientUpdate u) {
        return u.isDelta();
    }

    @Override
    public void open(ServerState s) {
        if (s.async == null) {
            s.async = new AsyncProgress();
        }
        s.async.flushes = 0;
        s.async.applied = 0;
        s.async.stalenessSum = 0;
        s.async.maxStaleness = 0;
    }

    @Override
    public void resume(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        applyFullBuffers(s, topo, out, now);
    }

    @Override
    public void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.buffered() >= maxBuffered) {
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.BUFFER_FULL,
                            "server "
                                    + s.serverId
                                    + " already buffers "
                                    + s.buffered()
                                    + " events"));
            return;
        }
        s.async.buffer.add(in);
        if (s.phase == Phase.CLIENT) {
            applyFullBuffers(s, topo, out, now);
        }
    }

    @Override
    public void onMembership(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {}

    /** No time bound: buffers close by count only, which keeps the run reproducible. */
    @Override
    public boolean onTimeout(
            ServerState s, int quorum, TopologyHistory topo, ServerOutputs out, double now) {
        return false;
    }

    private void applyFullBuffers(
            ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        while (s.phase == Phase.CLIENT && s.async.buffer.size() >= async.bufferSize()) {
            List<ServerInput> taken =
                    new ArrayList<>(s.async.buffer.subList(0, async.bufferSize()));
            s.async.buffer.subList(0, async.bufferSize()).clear();
            applyBuffer(s, taken, topo, out, now);
        }
    }

    /** Applies one buffer's usable deltas; the V-th applied buffer ends the round. */
    private void applyBuffer(
            ServerState s,
            List<ServerInput> taken,
            TopologyHistory topo,
            ServerOutputs out,
            double now) {
        AsyncProgress p = s.async;
        List<ClientUpdate> usable = new ArrayList<>();
        for (ServerInput in : taken) {
            ClientUpdate u = in.clientUpdate;
            if (u.baseVersion > p.version) {
                out.reject(
                        Inputs.reject(
                                in,
                                RejectReason.INVALID_VALUE,
                                "baseVersion "
                                        + u.baseVersion
                                        + " is ahead of server "
                                        + s.serverId
                                        + "'s version "
                                        + p.version));
            } else if (p.version - u.baseVersion > async.maxStaleness()) {
                out.reject(
                        Inputs.reject(
                                in,
                                RejectReason.TOO_STALE,
                                "delta from version "
                                        + u.baseVersion
                                        + " is "
                                        + (p.version - u.baseVersion)
                                        + " versions behind server "
                                        + s.serverId
                                        + "'s version "
                                        + p.version
                                        + "; at most "
                                        + async.maxStaleness()
                                        + " are taken"));
            } else {
                usable.add(u);
            }
        }
        if (usable.isEmpty()) {
            return;
        }
        s.model = step(s, usable);
        p.flushes++;
        s.metrics.flushes = p.flushes;
        if (p.flushes == async.versionsPerEpoch()) {
            // the round's last buffer goes into consensus; its result is the next version
            phase.finish(s, s.model.clone(), p.applied, topo, out, now);
            return;
        }
        p.version++;
        ServerModel m = new ServerModel(s.serverId, s.round, s.model.clone());
        m.step = p.flushes;
        m.version = p.version;
        m.async = async.settings();
        m.clientsAggregated = usable.size();
        out.model(m);
    }

    /** The buffer's staleness-weighted step, after bounded influence, with its metrics. */
    private double[] step(ServerState s, List<ClientUpdate> usable) {
        AsyncProgress p = s.async;
        int n = usable.size();
        double[][] deltas = new double[n][];
        double[] weights = new double[n];
        long[] staleness = new long[n];
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ClientUpdate u = usable.get(i);
            deltas[i] = u.vector;
            weights[i] = u.weight;
            staleness[i] = p.version - u.baseVersion;
            ids.add(u.clientId);
            p.stalenessSum += staleness[i];
            p.maxStaleness = Math.max(p.maxStaleness, staleness[i]);
        }
        p.applied += n;
        s.metrics.clientUpdates += n;
        s.metrics.maxStaleness = p.maxStaleness;
        s.metrics.meanStaleness = (double) p.stalenessSum / p.applied;
        Bounded b = Bounded.apply(bound, weights, deltas, new double[s.model.length]);
        ClientAveraging.note(s.metrics.weightBounded, ids, b.weightBounded());
        ClientAveraging.note(s.metrics.clipped, ids, b.clipped());
        return BufferedUpdate.apply(s.model, b.vectors(), b.weights(), staleness, async);
    }
}
