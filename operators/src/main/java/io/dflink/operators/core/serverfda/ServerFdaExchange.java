package io.dflink.operators.core.serverfda;

import io.dflink.operators.core.ServerFdaProgress;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.server.Exchange;
import io.dflink.records.ConsensusMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * Server-tier FDA around DFL's gossip: a round runs its T_S gossip steps only when {@link
 * ServerSync} says so. PERIODIC decides from the round number. VARIANCE first floods every server's
 * summary (its model, or the model's AMS sketch, and its last consensus round) over the round's
 * graph: in step t a server passes on the summaries it learnt in step t − 1, so after as many steps
 * as its component's diameter every server of the component holds all of them, and all compute the
 * same estimate ({@link ModelVariance}) and the same decision, with no coordinator. The decision is
 * a function of the round's client-phase results only, which the job's checkpoints and replays
 * reproduce: a run with a failure decides as a run without. The last round of a bounded run always
 * gossips, so a run ends with its servers in agreement.
 */
public final class ServerFdaExchange implements Exchange {

    /** The longest flood a round may take (a component's diameter); longer graphs always sync. */
    public static final int MAX_FLOOD_STEPS = 4096;

    private final ServerFdaParams params;
    private final Exchange gossip;
    private final long lastRound;
    private final ModelVariance variance;

    public ServerFdaExchange(ServerFdaParams params, Exchange gossip, int dim, long lastRound) {
        this.params = params;
        this.gossip = gossip;
        this.lastRound = lastRound;
        this.variance = new ModelVariance(params, dim);
    }

    @Override
    public int steps() {
        return (params.sync() == ServerSync.VARIANCE ? MAX_FLOOD_STEPS : 0) + gossip.steps();
    }

    @Override
    public int steps(ServerState s) {
        ServerFdaProgress p = s.serverFda;
        boolean undecided = s.step < p.floodSteps;
        return p.floodSteps + (undecided || p.synced ? gossip.steps() : 0);
    }

    @Override
    public int modelSteps(ServerState s) {
        return s.serverFda != null && s.serverFda.synced ? gossip.steps() : 0;
    }

    @Override
    public boolean accepts(ConsensusMessage m) {
        return ConsensusMessage.KIND_FDA_VARIANCE.equals(m.kind) || gossip.accepts(m);
    }

    @Override
    public boolean belongsToStep(ServerState s, ConsensusMessage m) {
        boolean flood = s.step < s.serverFda.floodSteps;
        return flood == ConsensusMessage.KIND_FDA_VARIANCE.equals(m.kind);
    }

    @Override
    public void begin(ServerState s, Graph graph) {
        if (s.serverFda == null) {
            s.serverFda = new ServerFdaProgress();
        }
        ServerFdaProgress p = s.serverFda;
        p.known.clear();
        p.fresh.clear();
        p.estimate = -1;
        p.floodSteps = 0;
        if (params.sync() == ServerSync.PERIODIC) {
            decide(s, isLast(s.round) || (s.round + 1) % params.period() == 0);
            return;
        }
        int diameter = graph.componentDiameter(s.serverId);
        if (diameter > MAX_FLOOD_STEPS) {
            decide(s, true); // every server of the component sees the same diameter
            return;
        }
        p.floodSteps = diameter;
        p.known.put(s.serverId, variance.summary(s.mix, p.lastSync));
        p.fresh.add(s.serverId);
        if (diameter == 0) {
            decideFromEstimate(s);
        }
    }

    @Override
    public ConsensusMessage messageTo(ServerState s, String neighbour) {
        ServerFdaProgress p = s.serverFda;
        if (s.step >= p.floodSteps) {
            return gossip.messageTo(s, neighbour);
        }
        List<String> origins = new ArrayList<>();
        List<double[]> parts = new ArrayList<>();
        for (String o : p.fresh) {
            if (!o.equals(neighbour)) { // it knows its own
                origins.add(o);
                parts.add(p.known.get(o));
            }
        }
        ConsensusMessage m =
                new ConsensusMessage(
                        s.serverId,
                        neighbour,
                        s.round,
                        s.step,
                        ConsensusMessage.KIND_FDA_VARIANCE,
                        concat(parts));
        m.origins = origins;
        return m;
    }

    @Override
    public void apply(ServerState s, List<ConsensusMessage> received) {
        ServerFdaProgress p = s.serverFda;
        if (s.step >= p.floodSteps) {
            gossip.apply(s, received);
            p.lastConsensusError = s.consensusError;
            return;
        }
        List<String> learnt = new ArrayList<>();
        for (ConsensusMessage m : received) {
            int n = m.origins.isEmpty() ? 0 : m.vector.length / m.origins.size();
            for (int k = 0; k < m.origins.size(); k++) {
                String o = m.origins.get(k);
                if (!p.known.containsKey(o)) {
                    double[] summary = new double[n];
                    System.arraycopy(m.vector, k * n, summary, 0, n);
                    p.known.put(o, summary);
                    learnt.add(o);
                }
            }
        }
        p.fresh = learnt;
        if (s.step == p.floodSteps - 1) {
            decideFromEstimate(s);
        }
    }

    private void decideFromEstimate(ServerState s) {
        ServerFdaProgress p = s.serverFda;
        p.estimate = variance.estimate(p.known);
        long oldest = ModelVariance.oldestSync(p.known);
        boolean overdue = params.maxInterval() > 0 && s.round - oldest >= params.maxInterval();
        decide(s, p.estimate > params.threshold() || overdue || isLast(s.round));
    }

    private void decide(ServerState s, boolean sync) {
        ServerFdaProgress p = s.serverFda;
        p.synced = sync;
        s.metrics.serverSync = params.sync().name();
        s.metrics.consensusRan = sync;
        s.metrics.varianceEstimate = p.estimate;
        if (sync) {
            p.lastSync = s.round;
        } else {
            s.consensusError = p.lastConsensusError; // no new measurement this round
        }
    }

    private boolean isLast(long round) {
        return lastRound > 0 && round == lastRound - 1;
    }

    private static double[] concat(List<double[]> parts) {
        int n = 0;
        for (double[] v : parts) {
            n += v.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] v : parts) {
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }
}
