package io.dflink.operators.core.admm;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.server.Exchange;
import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * LT-ADMM's exchange (docs/algorithms.md §4b L4-L5), one step per round: to each neighbour j the
 * server sends m_{i->j} = z_ij - 2 rho x_i with its new iterate x_i (in {@code s.mix}) and relaxes
 * z_ij with m_{j->i}. An edge without variables yet (new, or the run's first round) carries {@code
 * admm-init} with x_i instead, and both ends set z = rho (x_i + x_j) / 2 (§5.2). A link skipped for
 * the round keeps its z_ij. The consensus error reported is max_j ||x_i - x_j||, recovered from the
 * message and the invariant z_ij + z_ji = rho (x_i + x_j).
 */
public final class AdmmExchange implements Exchange {

    private final AdmmParams params;

    public AdmmExchange(AdmmParams params) {
        this.params = params;
    }

    @Override
    public int steps() {
        return 1;
    }

    @Override
    public boolean accepts(ConsensusMessage m) {
        return ConsensusMessage.KIND_ADMM_Z.equals(m.kind)
                || ConsensusMessage.KIND_ADMM_INIT.equals(m.kind);
    }

    @Override
    public ConsensusMessage messageTo(ServerState s, String neighbour) {
        double[] z = s.duals.get(neighbour);
        return new ConsensusMessage(
                s.serverId,
                neighbour,
                s.round,
                s.step,
                z == null ? ConsensusMessage.KIND_ADMM_INIT : ConsensusMessage.KIND_ADMM_Z,
                z == null ? s.mix.clone() : LtAdmm.message(params, z, s.mix));
    }

    @Override
    public void apply(ServerState s, List<ConsensusMessage> received) {
        double max = 0;
        for (ConsensusMessage m : received) {
            double[] z = s.duals.get(m.from);
            if (ConsensusMessage.KIND_ADMM_INIT.equals(m.kind)) {
                s.duals.put(m.from, LtAdmm.newEdge(params, s.mix, m.vector));
                max = Math.max(max, Vec.distance(s.mix, m.vector));
            } else if (z != null) {
                double[] diff = m.vector.clone(); // rho (x_i - x_j) = m_{j->i} + z_ij
                Vec.axpy(1, z, diff);
                max = Math.max(max, Vec.norm(diff) / params.rho());
                LtAdmm.receive(params, z, m.vector);
            }
        }
        s.consensusError = max;
    }
}
