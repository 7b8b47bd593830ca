package io.dflink.operators.core.admm;

import io.dflink.operators.core.AdmmProgress;
import io.dflink.operators.core.GradientPart;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.math.Vec;
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
import java.util.Map;
import java.util.TreeMap;

/**
 * LT-ADMM's local phase on a server whose clients hold the data (docs/algorithms.md §4b L0-L3): the
 * penalty c_i is frozen at the round's start from x_i and the edge variables; then for t = 0..tau-1
 * the server publishes phi^t (the round's model for t = 0, a {@link ServerModel} with {@code step}
 * = t after), its clients answer with their mini-batch {@code gradient} at phi^t, and the server
 * steps phi^{t+1} = phi^t - gamma g - c_i. g combines the clients exactly as one agent holding all
 * their samples would: the batch means weighted by batch size, plus with variance reduction the
 * clients' table means weighted by their sample counts (see {@code GradientShard}). phi^tau is the
 * round's x_{i,k+1}, which the z-exchange ({@link AdmmExchange}) then sends to the neighbours.
 *
 * <p>Bounded influence ({@link InfluenceBound}) applies to the gradients as to models, measured
 * from zero: a batch size above the bound times the step's median is lowered, a gradient (and a
 * table mean) whose norm exceeds the bound times the median norm is clipped to it, never refused (a
 * step needs every client's gradient). Robust aggregation rules do not apply to LT-ADMM.
 */
public final class AdmmSteps implements ClientProtocol {

    private final AdmmParams admm;
    private final ClientPhase phase;
    private final InfluenceBound bound;

    public AdmmSteps(AdmmParams admm, ClientPhase phase, InfluenceBound bound) {
        this.admm = admm;
        this.phase = phase;
        this.bound =
                new InfluenceBound(
                        bound.weightRatio(), bound.distanceRatio(), InfluenceBound.Action.CLIP);
    }

    /** L0-L1: the frozen penalty and phi^0 = x_k. */
    @Override
    public String name() {
        return "LT-ADMM";
    }

    @Override
    public boolean takes(ClientUpdate u) {
        return u.isGradient();
    }

    @Override
    public void open(ServerState s) {
        s.admm = begin(s);
    }

    @Override
    public void onMembership(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        if (phase.isComplete(s, s.admm.parts)) {
            step(s, topo, out, now);
        }
    }

    private AdmmProgress begin(ServerState s) {
        AdmmProgress p = new AdmmProgress();
        p.phi = s.model.clone();
        p.penalty = LtAdmm.frozenPenalty(admm, s.model, new TreeMap<>(s.duals).values());
        return p;
    }

    @Override
    public void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ClientUpdate u = in.clientUpdate;
        AdmmProgress p = s.admm;
        if (u.step != p.step) {
            out.reject(
                    Inputs.reject(
                            in,
                            u.step < p.step
                                    ? RejectReason.STALE_ROUND
                                    : RejectReason.UNEXPECTED_STEP,
                            "gradient of step "
                                    + u.step
                                    + "; server "
                                    + s.serverId
                                    + " waits for step "
                                    + p.step
                                    + " of round "
                                    + s.round));
            return;
        }
        boolean reduced = admm.variance() != VarianceReduction.NONE;
        if (reduced != (u.tableMean.length > 0)) {
            out.reject(
                    Inputs.reject(
                            in,
                            reduced ? RejectReason.MISSING_FIELD : RejectReason.INVALID_VALUE,
                            reduced
                                    ? "LT-ADMM-VR needs the table's mean and samples"
                                    : "plain LT-ADMM takes no table mean"));
            return;
        }
        if (p.parts.containsKey(u.clientId)) {
            s.metrics.duplicateUpdates++;
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.DUPLICATE,
                            u.clientId + " already sent step " + u.step + " of " + u.round));
            return;
        }
        p.parts.put(u.clientId, new GradientPart(u.weight, u.vector, u.tableMean, u.samples));
        s.metrics.clientUpdates++;
        if (phase.isComplete(s, p.parts)) {
            step(s, topo, out, now);
        }
    }

    /** The client-phase timeout of one step: goes on with a quorum of the clients. */
    @Override
    public boolean onTimeout(
            ServerState s, int quorum, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.admm.parts.size() < quorum) {
            return false;
        }
        step(s, topo, out, now);
        return true;
    }

    /** L2: one local step with the clients' combined estimate; L3 after the last. */
    private void step(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        AdmmProgress p = s.admm;
        s.timerRound = -1; // every step gets its own client-phase timeout
        int clients = p.parts.size();
        Map<String, GradientPart> parts = bounded(s, new TreeMap<>(p.parts), p.phi.length);
        LtAdmm.localStep(admm, p.phi, combine(parts, p.phi.length), p.penalty);
        p.parts.clear();
        p.step++;
        s.metrics.localSteps = p.step;
        if (p.step == admm.tau()) {
            phase.finish(s, p.phi, clients, topo, out, now);
            return;
        }
        ServerModel m = new ServerModel(s.serverId, s.round, p.phi.clone());
        m.step = p.step;
        m.clientsAggregated = clients;
        out.model(m);
    }

    /**
     * The step's gradients (in client-id order) after bounded influence: new parts where a bound
     * changed something, noted in the round's metrics.
     */
    private Map<String, GradientPart> bounded(
            ServerState s, Map<String, GradientPart> parts, int dim) {
        int n = parts.size();
        List<String> ids = new ArrayList<>(parts.keySet());
        double[] weights = new double[n];
        double[][] batches = new double[n][];
        double[] samples = new double[n];
        double[][] tables = new double[n][];
        boolean reduced = true;
        for (int i = 0; i < n; i++) {
            GradientPart part = parts.get(ids.get(i));
            weights[i] = part.weight;
            batches[i] = part.vector;
            samples[i] = part.samples;
            tables[i] = part.tableMean;
            reduced &= part.tableMean.length > 0;
        }
        double[] zero = new double[dim];
        Bounded batch = Bounded.apply(bound, weights, batches, zero);
        Bounded table =
                reduced
                        ? Bounded.apply(
                                new InfluenceBound(0, bound.distanceRatio(), bound.action()),
                                samples,
                                tables,
                                zero)
                        : null;
        if (!batch.touchedAny() && (table == null || !table.touchedAny())) {
            return parts;
        }
        boolean[] clipped = batch.clipped().clone();
        Map<String, GradientPart> out = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            GradientPart part = parts.get(ids.get(i));
            clipped[i] |= table != null && table.clipped()[i];
            out.put(
                    ids.get(i),
                    new GradientPart(
                            batch.weights()[i],
                            batch.vectors()[i],
                            table == null ? part.tableMean : table.vectors()[i],
                            part.samples));
        }
        ClientAveraging.note(s.metrics.weightBounded, ids, batch.weightBounded());
        ClientAveraging.note(s.metrics.clipped, ids, clipped);
        return out;
    }

    /** g = sum_c w_c v_c / sum_c w_c (+ sum_c m_c t_c / sum_c m_c with VR), in client-id order. */
    static double[] combine(Map<String, GradientPart> parts, int dim) {
        double[] batch = new double[dim];
        double[] table = new double[dim];
        double weight = 0;
        double samples = 0;
        for (GradientPart part : parts.values()) {
            Vec.axpy(part.weight, part.vector, batch);
            weight += part.weight;
            if (part.tableMean.length > 0) {
                Vec.axpy(part.samples, part.tableMean, table);
                samples += part.samples;
            }
        }
        double[] g = new double[dim];
        for (int k = 0; k < dim; k++) {
            g[k] = batch[k] / weight + (samples > 0 ? table[k] / samples : 0);
        }
        return g;
    }
}
