package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.operators.core.math.Vec;
import io.dflink.records.ConsensusMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A server that a topology change adds to a running federation at round r starts from the
 * federation's models, not from zero: each of its established neighbours (in the graph of round r
 * and already in that of round r − 1) sends it its round-r model once ({@link
 * ConsensusMessage#KIND_JOIN_MODEL}, through the consensus topic), and the joiner's first model is
 * their mean weighted by its row of the round-r mixing matrix, renormalised over them: w_new = Σ_j
 * W_nj w_j / Σ_j W_nj, summed in neighbour order. Servers that join together do not wait for each
 * other. A server with no established neighbour starts as the first servers did.
 */
final class JoiningServer {

    private JoiningServer() {}

    /** The neighbours {@code server} takes its first model from when it starts at {@code round}. */
    static List<String> establishedNeighbours(TopologyHistory topo, String server, long round) {
        Graph before = round == 0 ? null : topo.graphAt(round - 1);
        Graph now = topo.graphAt(round);
        List<String> out = new ArrayList<>();
        if (before == null || now == null || before.contains(server)) {
            return out;
        }
        for (String n : now.neighbours(server)) {
            if (before.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** At the start of an established server's round: its model to each neighbour new in it. */
    static void welcome(ServerState s, TopologyHistory topo, ServerOutputs out) {
        Graph before = s.round == 0 ? null : topo.graphAt(s.round - 1);
        if (before == null || !before.contains(s.serverId)) {
            return;
        }
        for (String n : topo.graphAt(s.round).neighbours(s.serverId)) {
            if (!before.contains(n)) {
                out.consensus(
                        new ConsensusMessage(
                                s.serverId,
                                n,
                                s.round,
                                0,
                                ConsensusMessage.KIND_JOIN_MODEL,
                                s.model.clone()));
            }
        }
    }

    /** Whether the joiner already holds {@code from}'s model. */
    static boolean holds(ServerState s, String from) {
        return message(s, from) != null;
    }

    /**
     * The joiner's first model once every established neighbour's has arrived (and takes those
     * messages out of the buffer), else null.
     */
    static double[] firstModel(ServerState s, TopologyHistory topo) {
        List<String> from = establishedNeighbours(topo, s.serverId, s.round);
        double[][] models = new double[from.size()][];
        double[] weights = new double[from.size()];
        double total = 0;
        Graph graph = topo.graphAt(s.round);
        for (int k = 0; k < from.size(); k++) {
            ConsensusMessage m = message(s, from.get(k));
            if (m == null) {
                return null;
            }
            models[k] = m.vector;
            weights[k] = MixingWeights.weight(graph, s.serverId, from.get(k));
            total += weights[k];
        }
        for (int k = 0; k < weights.length; k++) {
            weights[k] /= total;
        }
        s.pendingConsensus.removeIf(
                in -> ConsensusMessage.KIND_JOIN_MODEL.equals(in.consensus.kind));
        return Vec.weightedSum(weights, models);
    }

    private static ConsensusMessage message(ServerState s, String from) {
        for (ServerInput in : s.pendingConsensus) {
            ConsensusMessage m = in.consensus;
            if (ConsensusMessage.KIND_JOIN_MODEL.equals(m.kind) && m.from.equals(from)) {
                return m;
            }
        }
        return null;
    }
}
