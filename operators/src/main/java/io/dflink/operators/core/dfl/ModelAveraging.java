package io.dflink.operators.core.dfl;

import io.dflink.operators.core.ClientContribution;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.server.ClientAveraging;
import io.dflink.operators.core.server.ClientPhase;
import io.dflink.operators.core.server.ClientProtocol;
import io.dflink.operators.core.server.Inputs;
import io.dflink.operators.core.server.ServerOutputs;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;

/**
 * DFL's client phase (docs/algorithms.md, DFL step E2): each client sends one model per round; when
 * the round is complete the server takes their mean weighted by sample count, summed in client-id
 * order so that it does not depend on arrival order, or combines them by a robust {@link
 * Aggregation}, each after bounded influence ({@link ClientAveraging}). The first model of a client
 * in a round counts.
 */
public class ModelAveraging implements ClientProtocol {

    private final ClientPhase phase;
    private final ClientAveraging averaging;

    /** Combines the round's models by {@code rule} after {@code bound}, weighted by samples. */
    public ModelAveraging(ClientPhase phase, Aggregation rule, InfluenceBound bound) {
        this.phase = phase;
        this.averaging = new ClientAveraging(rule, bound, false);
    }

    @Override
    public String name() {
        return "DFL";
    }

    @Override
    public boolean takes(ClientUpdate u) {
        return u.isModel();
    }

    @Override
    public void open(ServerState s) {}

    @Override
    public void onUpdate(
            ServerState s, ServerInput in, TopologyHistory topo, ServerOutputs out, double now) {
        ClientUpdate u = in.clientUpdate;
        if (s.contributions.containsKey(u.clientId)) {
            s.metrics.duplicateUpdates++; // the first update of a round is the one that counts
            out.reject(
                    Inputs.reject(
                            in,
                            RejectReason.DUPLICATE,
                            u.clientId + " already contributed to round " + u.round));
            return;
        }
        s.contributions.put(
                u.clientId,
                new ClientContribution(
                        u.weight, u.vector, averaging.keepsSources() ? in.source : null));
        s.metrics.clientUpdates++;
        onMembership(s, topo, out, now);
    }

    @Override
    public void onMembership(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        if (phase.isComplete(s, s.contributions)) {
            close(s, topo, out, now);
        }
    }

    @Override
    public boolean onTimeout(
            ServerState s, int quorum, TopologyHistory topo, ServerOutputs out, double now) {
        if (s.contributions.size() < quorum) {
            return false;
        }
        close(s, topo, out, now);
        return true;
    }

    /** What the round's mean of the uploaded vectors makes of the server's model. */
    protected double[] result(ServerState s, double[] mean) {
        return mean;
    }

    /** Where the uploaded vectors started: the server's model. */
    protected double[] centre(ServerState s) {
        return s.model;
    }

    private void close(ServerState s, TopologyHistory topo, ServerOutputs out, double now) {
        ClientAveraging.Result combined = averaging.combine(s, s.contributions, centre(s), out);
        s.contributions.clear();
        phase.finish(s, result(s, combined.vector()), combined.clients(), topo, out, now);
    }
}
