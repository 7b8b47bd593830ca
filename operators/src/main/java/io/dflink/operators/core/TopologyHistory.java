package io.dflink.operators.core;

import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.TopologyEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every accepted topology change, in effective-round order (arrival order among equal rounds). The
 * graph of round r is the result of replaying the changes whose effective round is <= r, so every
 * server computes the same graph for the same round. A Flink POJO: it is kept in broadcast state.
 */
public class TopologyHistory {

    /** Accepted changes, sorted by effective round, stable for equal rounds. */
    public List<TopologyEvent> changes = new ArrayList<>();

    public TopologyHistory() {}

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The graph at {@code round}, or null before the first graph takes effect. */
    public Graph graphAt(long round) {
        return replay(changes, round);
    }

    /** The first round whose graph names {@code server}, or -1 if no graph ever names it. */
    public long firstRoundOf(String server) {
        for (TopologyEvent c : changes) {
            Graph g = graphAt(c.effectiveRound);
            if (g != null && g.contains(server)) {
                return c.effectiveRound;
            }
        }
        return -1;
    }

    /**
     * Why {@code change} cannot be applied, or null when it can. Checked against every graph from
     * its effective round on, since a change also shapes all later rounds.
     */
    public Rejection problemWith(TopologyEvent change) {
        return problemWith(change, false);
    }

    /**
     * As {@link #problemWith(TopologyEvent)}; with {@code allowDisconnected}, a change that splits
     * the graph is accepted (each component then converges on its own).
     */
    public Rejection problemWith(TopologyEvent change, boolean allowDisconnected) {
        List<TopologyEvent> candidate = withChange(change);
        for (TopologyEvent c : candidate) {
            if (c.effectiveRound < change.effectiveRound) {
                continue;
            }
            Graph g = replay(candidate, c.effectiveRound);
            if (g == null) {
                return new Rejection(
                        RejectReason.INVALID_TOPOLOGY,
                        "an edge change at round " + change.effectiveRound + " precedes any graph");
            }
            if (!change.isGraph()) {
                Edge e = change.edges.get(0);
                if (!g.contains(e.a) || !g.contains(e.b)) {
                    return new Rejection(
                            RejectReason.INVALID_TOPOLOGY,
                            "edge " + e.a + "-" + e.b + " names a server not in the graph");
                }
            }
            String weightProblem = MixingWeights.explicitWeightProblem(g);
            if (weightProblem != null) {
                return new Rejection(RejectReason.INVALID_WEIGHTS, weightProblem);
            }
            if (!allowDisconnected && !g.isConnected()) {
                return new Rejection(
                        RejectReason.DISCONNECTED_GRAPH,
                        "the graph of round " + c.effectiveRound + " would not be connected");
            }
        }
        return null;
    }

    /** Applies an accepted change. */
    public void apply(TopologyEvent change) {
        changes = withChange(change);
    }

    /** A rejected change's reason. */
    public record Rejection(RejectReason reason, String message) {}

    private List<TopologyEvent> withChange(TopologyEvent change) {
        List<TopologyEvent> next = new ArrayList<>(changes);
        next.add(change);
        next.sort(Comparator.comparingLong(c -> c.effectiveRound)); // stable
        return next;
    }

    private static Graph replay(List<TopologyEvent> changes, long round) {
        Graph g = null;
        for (TopologyEvent c : changes) {
            if (c.effectiveRound > round) {
                break;
            }
            if (c.isGraph()) {
                g = Graph.of(c.servers, c.edges);
            } else if (g != null) {
                Edge e = c.edges.get(0);
                if (g.contains(e.a) && g.contains(e.b)) {
                    g = g.withEdge(e, c.up);
                }
            }
        }
        return g;
    }
}
