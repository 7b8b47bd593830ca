package io.dflink.records;

import java.util.ArrayList;
import java.util.List;

/**
 * A change of the server graph ({@code topology} topic): either a whole graph ({@link #TYPE_GRAPH})
 * or one link going up or down ({@link #TYPE_EDGE}). It applies from {@link #effectiveRound} on, at
 * every server, so both ends of a link always agree.
 */
public class TopologyEvent {
    public static final String TYPE_GRAPH = "graph";
    public static final String TYPE_EDGE = "edge";

    public String type;
    public long effectiveRound;

    /** Graph only: every server of the graph. */
    public List<String> servers = new ArrayList<>();

    /** Graph: all links. Edge event: exactly the one link that changes. */
    public List<Edge> edges = new ArrayList<>();

    /** Edge event only: whether the link is up from the effective round on. */
    public boolean up;

    public TopologyEvent() {}

    public static TopologyEvent graph(long effectiveRound, List<String> servers, List<Edge> edges) {
        TopologyEvent e = new TopologyEvent();
        e.type = TYPE_GRAPH;
        e.effectiveRound = effectiveRound;
        e.servers = new ArrayList<>(servers);
        e.edges = new ArrayList<>(edges);
        return e;
    }

    public static TopologyEvent edge(long effectiveRound, Edge edge, boolean up) {
        TopologyEvent e = new TopologyEvent();
        e.type = TYPE_EDGE;
        e.effectiveRound = effectiveRound;
        e.edges = new ArrayList<>(List.of(edge));
        e.up = up;
        return e;
    }

    public boolean isGraph() {
        return TYPE_GRAPH.equals(type);
    }

    /** The Kafka key under which compaction keeps the latest event of this kind. */
    public String compactionKey() {
        if (isGraph()) {
            return "graph";
        }
        Edge c = edges.get(0).canonical();
        return "edge:" + c.a + ":" + c.b;
    }
}
