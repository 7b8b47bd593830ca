package io.dflink.operators.core;

import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * DFL's server phase (ALGORITHMS.md §1b E3): T_S gossip steps v^{s+1} = a_ii v_i^s + sum_j a_ij
 * v_j^s with the round's mixing row, summed in neighbour order.
 */
final class GossipExchange implements Exchange {

    private final int steps;

    GossipExchange(int steps) {
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
        double[] next = Vec.scaled(s.selfWeight, s.mix);
        double max = 0;
        for (int k = 0; k < received.size(); k++) {
            double[] v = received.get(k).vector;
            Vec.axpy(s.neighbourWeights[k], v, next);
            max = Math.max(max, Vec.distance(s.mix, v));
        }
        s.consensusError = max;
        s.mix = next;
    }
}
