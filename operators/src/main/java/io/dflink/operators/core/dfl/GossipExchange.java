package io.dflink.operators.core.dfl;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.server.Exchange;
import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * DFL's server phase (docs/algorithms.md §1b E3): T_S gossip steps v^{s+1} = a_ii v_i^s + sum_j
 * a_ij v_j^s with the round's mixing row, summed in neighbour order.
 */
public final class GossipExchange implements Exchange {

    private final int steps;

    public GossipExchange(int steps) {
        this.steps = steps;
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
        s.mix = mixed(s, s.mix, received);
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
