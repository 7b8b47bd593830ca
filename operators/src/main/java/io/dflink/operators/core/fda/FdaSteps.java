package io.dflink.operators.core.fda;

import io.dflink.operators.core.ClientContribution;
import io.dflink.operators.core.FdaProgress;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.server.ClientAveraging;
import io.dflink.operators.core.server.ClientPhase;
import io.dflink.operators.core.server.ClientProtocol;
import io.dflink.operators.core.server.Inputs;
import io.dflink.operators.core.server.ServerOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ControlEvent;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;

import java.util.Map;
import java.util.TreeMap;

/**
 * FDA governing a server's client phase (docs/algorithms.md §3b, §5.1), in lock-step with its
 * clients. After each local step the clients report their monitoring state; once all have, the
 * server computes the variance estimate H and answers on {@code control}: {@code fda-continue}, or
 * {@code fda-sync} when H > Theta, upon which the clients upload their models, the server averages
 * them and publishes the average (a {@link ServerModel} with {@code step} = k), the clients' new
 * drift base. After the T_C-th step the clients upload without waiting: that forced sync's average
 * starts the server consensus. The fixed-schedule baselines (Synchronous, periodic) send no states:
 * their clients upload after every {@code period} steps.
 *
 * <p>Each wait is for one (step, kind) only, so the decisions and models depend on the inputs'
 * content, never on their arrival order: sums run in client-id order. Averages are uniform over the
 * clients, as FDA's variance is, after bounded influence and by the job's aggregation rule ({@link
 * ClientAveraging}, centred on the round's starting model). Monitoring states are not bounded: an
 * inflated state can only make the servers synchronise more often, which costs traffic, not
 * accuracy.
 */
public final class FdaSteps implements ClientProtocol {

    private final FdaParams fda;
    private final ClientPhase phase;
    private final ClientAveraging averaging;

    public FdaSteps(FdaParams fda, ClientPhase phase, ClientAveraging averaging) {
        this.fda = fda;
        this.phase = phase;
        this.averaging = averaging;
    }

    /** The progress of a new round: waiting for what follows step 0. */
    @Override
    public String name() {
        return "DFL with FDA";
    }

    @Override
    public boolean takes(ClientUpdate u) {
        return u.isModel() || u.isFdaState();
    }

    @Override
    public void open(ServerState s) {
        s.fda = begin();
    }

    @Override
    public void onMembership(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        if (phase.isComplete(s, s.fda.awaitingModels ? s.contributions : s.fda.reports)) {
            advance(s, topo, out, now);
        }
    }

    private FdaProgress begin() {
        FdaProgress p = new FdaProgress();
        awaitAfter(p, 0);
        return p;
    }

    @Override
    public void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ClientUpdate u = in.clientUpdate;
        FdaProgress p = s.fda;
        String refusal = refusal(p, u);
        if (refusal != null) {
            // a step the server has passed; states are never expected by the fixed schedules
            boolean stale =
                    (u.step < p.step && (u.isModel() || fda.variant().monitored()))
                            || (u.step == p.step && u.isFdaState() && p.awaitingModels);
            out.reject(
                    Inputs.reject(
                            in,
                            stale ? RejectReason.STALE_ROUND : RejectReason.UNEXPECTED_STEP,
                            refusal + "; server " + s.serverId + " waits for " + waitingFor(s)));
            return;
        }
        Map<String, ?> reported = p.awaitingModels ? s.contributions : p.reports;
        if (reported.containsKey(u.clientId)) {
            s.metrics.duplicateUpdates++;
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.DUPLICATE,
                            u.clientId + " already reported step " + u.step + " of " + u.round));
            return;
        }
        if (p.awaitingModels) {
            s.contributions.put(
                    u.clientId,
                    new ClientContribution(
                            u.weight, u.vector, averaging.keepsSources() ? in.source : null));
            s.metrics.clientUpdates++;
        } else {
            RejectReason bad = badState(u);
            if (bad != null) {
                out.reject(Inputs.reject(in, bad, stateProblem(u)));
                return;
            }
            p.reports.put(u.clientId, new FdaReport(u.sqNorm, u.projection, u.sketch));
        }
        if (phase.isComplete(s, reported)) {
            advance(s, topo, out, now);
        }
    }

    /** The client-phase timeout of one wait: goes on with a quorum of the clients. */
    @Override
    public boolean onTimeout(
            ServerState s, int quorum, TopologyHistory topo, ServerOutputs out, double now) {
        int reported = s.fda.awaitingModels ? s.contributions.size() : s.fda.reports.size();
        if (reported < quorum) {
            return false;
        }
        advance(s, topo, out, now);
        return true;
    }

    private void advance(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        FdaProgress p = s.fda;
        s.timerRound = -1; // every wait gets its own client-phase timeout
        if (p.awaitingModels) {
            sync(s, topo, out, now);
        } else {
            decide(s, out);
        }
    }

    /** All states of the step are in: H decides between another local step and a sync. */
    private void decide(ServerState s, ServerOutputs out) {
        FdaProgress p = s.fda;
        double h = VarianceEstimate.estimate(fda, new TreeMap<>(p.reports).values());
        p.reports.clear();
        boolean sync = h > fda.threshold();
        out.control(
                new ControlEvent(
                        sync ? ControlEvent.FDA_SYNC : ControlEvent.FDA_CONTINUE,
                        s.serverId,
                        s.round,
                        p.step,
                        h));
        if (sync) {
            p.awaitingModels = true;
        } else {
            awaitAfter(p, p.step);
        }
    }

    /** All models of the sync are in: their mean is the new drift base, or the round's result. */
    private void sync(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        FdaProgress p = s.fda;
        ClientAveraging.Result mean = averaging.combine(s, s.contributions, s.model, out);
        s.contributions.clear();
        s.metrics.syncs++;
        s.metrics.localSteps = p.step;
        if (p.step >= fda.steps()) {
            phase.finish(s, mean.vector(), mean.clients(), topo, out, now);
            return;
        }
        ServerModel m = new ServerModel(s.serverId, s.round, mean.vector());
        m.step = p.step;
        m.clientsAggregated = mean.clients();
        out.model(m);
        awaitAfter(p, p.step);
    }

    /** What the clients send after local step {@code step}. */
    private void awaitAfter(FdaProgress p, int step) {
        if (fda.variant().monitored()) {
            p.step = step + 1;
            p.awaitingModels = p.step >= fda.steps();
        } else {
            p.step = fda.nextScheduledSync(step);
            p.awaitingModels = true;
        }
    }

    /** Why {@code u} is not what the server waits for, or null. */
    private static String refusal(FdaProgress p, ClientUpdate u) {
        if (u.isModel() != p.awaitingModels || u.step != p.step) {
            return (u.isModel() ? "model" : "state") + " of step " + u.step;
        }
        return null;
    }

    private static String waitingFor(ServerState s) {
        return (s.fda.awaitingModels ? "models" : "states")
                + " of step "
                + s.fda.step
                + " of round "
                + s.round;
    }

    /** A state that does not carry what the variant needs. */
    private RejectReason badState(ClientUpdate u) {
        if (!Double.isFinite(u.sqNorm) || u.sqNorm < 0) {
            return Double.isFinite(u.sqNorm) ? RejectReason.INVALID_VALUE : RejectReason.NON_FINITE;
        }
        switch (fda.variant()) {
            case LINEAR:
                return Double.isNaN(u.projection)
                        ? RejectReason.MISSING_FIELD
                        : Double.isFinite(u.projection) ? null : RejectReason.NON_FINITE;
            case SKETCH:
                if (u.sketch.length != fda.sketchDepth() * fda.sketchWidth()) {
                    return u.sketch.length == 0
                            ? RejectReason.MISSING_FIELD
                            : RejectReason.WRONG_DIMENSION;
                }
                for (double x : u.sketch) {
                    if (!Double.isFinite(x)) {
                        return RejectReason.NON_FINITE;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private String stateProblem(ClientUpdate u) {
        return fda.variant()
                + " state needs a finite sqNorm >= 0"
                + (fda.variant() == FdaVariant.LINEAR ? " and a finite projection" : "")
                + (fda.variant() == FdaVariant.SKETCH
                        ? " and a sketch of " + fda.sketchDepth() * fda.sketchWidth() + " values"
                        : "")
                + "; got sqNorm "
                + u.sqNorm;
    }
}
