package io.dflink.operators.core.dfl;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.server.ClientAveraging;
import io.dflink.operators.core.server.Exchange;
import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * DFL's server phase (docs/algorithms.md §1b E3): T_S gossip steps v^{s+1} = a_ii v_i^s + sum_j
 * a_ij v_j^s with the round's mixing row, summed in neighbour order.
 *
 * <p>With a clip radius tau > 0 the step is clipped gossip (He, Karimireddy and Jaggi, 2022):
 * v^{s+1} = v_i^s + sum_j a_ij clip(v_j^s - v_i^s, tau), so that no neighbour, however far its
 * iterate, moves this server by more than a_ij tau per step. Between neighbours closer than tau it
 * is the plain step (up to rounding); tau = 0 is the plain step bit for bit.
 */
public final class GossipExchange implements Exchange {

    private final int steps;
    private final double clipRadius;

    /** T_S plain gossip steps. */
    public GossipExchange(int steps) {
        this(steps, 0);
    }

    /** T_S gossip steps, clipped at {@code clipRadius} (0: plain). */
    public GossipExchange(int steps, double clipRadius) {
        this.steps = steps;
        this.clipRadius = clipRadius;
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public boolean accepts(ConsensusMessage m) {
        return ConsensusMessage.KIND_DFL_MODEL.equals(m.kind);
    }

    @Override
    public ConsensusMessage messageTo(ServerState s, String neighbour) {
        return new ConsensusMessage(
                s.serverId,
                neighbour,
                s.round,
                s.step,
                ConsensusMessage.KIND_DFL_MODEL,
                s.mix.clone());
    }

    @Override
    public void apply(ServerState s, List<ConsensusMessage> received) {
        double max = 0;
        for (ConsensusMessage m : received) {
            max = Math.max(max, Vec.distance(s.mix, m.vector));
        }
        s.consensusError = max;
        s.mix = mixed(s, s.mix, received, clipRadius);
    }

    /**
     * The gossip step from {@code own}: plain for {@code clipRadius} 0, else clipped; a neighbour
     * whose difference was clipped is noted in the round's metrics.
     */
    public static double[] mixed(
            ServerState s, double[] own, List<ConsensusMessage> received, double clipRadius) {
        if (clipRadius == 0) {
            return mixed(s, own, received);
        }
        double[] next = own.clone();
        double[] diff = new double[own.length];
        for (int k = 0; k < received.size(); k++) {
            double[] v = received.get(k).vector;
            for (int j = 0; j < own.length; j++) {
                diff[j] = v[j] - own[j];
            }
            double norm = Vec.norm(diff);
            double scale = s.neighbourWeights[k];
            if (norm > clipRadius) {
                scale *= clipRadius / norm;
                ClientAveraging.noteOnce(s.metrics.clippedNeighbours, received.get(k).from);
            }
            Vec.axpy(scale, diff, next);
        }
        return next;
    }

    /** W_ii own + sum_j W_ij v_j with the round's mixing row, in neighbour order. */
    public static double[] mixed(ServerState s, double[] own, List<ConsensusMessage> received) {
        double[] w = new double[received.size() + 1];
        double[][] x = new double[received.size() + 1][];
        w[0] = s.selfWeight;
        x[0] = own;
        for (int k = 0; k < received.size(); k++) {
            w[k + 1] = s.neighbourWeights[k];
            x[k + 1] = received.get(k).vector;
        }
        return Vec.weightedSum(w, x);
    }
}
