package io.dflink.operators.core.graph;

import io.dflink.records.Edge;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable undirected server graph at one round: servers, links and optional explicit link
 * weights. Neighbour lists are sorted, so every computation over them has one fixed order.
 */
public final class Graph {

    private final Map<String, TreeSet<String>> adjacency;
    private final Map<String, Double> weights; // by Edge#id; empty unless every link has one

    Graph(Map<String, TreeSet<String>> adjacency, Map<String, Double> weights) {
        this.adjacency = adjacency;
        this.weights = weights;
    }

    /** A graph of the given servers and links; weights are kept only if every link has one. */
    public static Graph of(List<String> servers, List<Edge> edges) {
        Map<String, TreeSet<String>> adj = new TreeMap<>();
        for (String s : servers) {
            adj.put(s, new TreeSet<>());
        }
        Map<String, Double> w = new TreeMap<>();
        boolean allWeighted = !edges.isEmpty();
        for (Edge e : edges) {
            if (!adj.containsKey(e.a) || !adj.containsKey(e.b) || e.a.equals(e.b)) {
                throw new IllegalArgumentException("edge " + e.a + "-" + e.b + " is not valid");
            }
            adj.get(e.a).add(e.b);
            adj.get(e.b).add(e.a);
            allWeighted &= e.hasWeight();
            w.put(e.id(), e.weight);
        }
        return new Graph(adj, allWeighted ? w : Map.of());
    }

    /** Servers in sorted order. */
    public List<String> servers() {
        return List.copyOf(adjacency.keySet());
    }

    public boolean contains(String server) {
        return adjacency.containsKey(server);
    }

    /** Sorted neighbours of {@code server}; empty for an unknown server. */
    public List<String> neighbours(String server) {
        TreeSet<String> n = adjacency.get(server);
        return n == null ? List.of() : List.copyOf(n);
    }

    public int degree(String server) {
        TreeSet<String> n = adjacency.get(server);
        return n == null ? 0 : n.size();
    }

    public boolean hasEdge(String a, String b) {
        TreeSet<String> n = adjacency.get(a);
        return n != null && n.contains(b);
    }

    /** True when explicit weights were given for every link. */
    public boolean hasExplicitWeights() {
        return !weights.isEmpty();
    }

    /** The explicit weight of link a-b; only valid when {@link #hasExplicitWeights()}. */
    public double explicitWeight(String a, String b) {
        return weights.get(new Edge(a, b).id());
    }

    /** All links, each once, with their explicit weight or NaN. */
    public List<Edge> edges() {
        List<Edge> out = new java.util.ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : adjacency.entrySet()) {
            for (String b : e.getValue().tailSet(e.getKey(), false)) {
                Double w = weights.get(new Edge(e.getKey(), b).id());
                out.add(new Edge(e.getKey(), b, w == null ? Double.NaN : w));
            }
        }
        return out;
    }

    /** True for a non-empty graph in which every server reaches every other. */
    public boolean isConnected() {
        return components() == 1;
    }

    /** The number of connected components (0 for an empty graph). */
    public int components() {
        Set<String> seen = new HashSet<>();
        int components = 0;
        for (String start : adjacency.keySet()) {
            if (seen.add(start)) {
                components++;
                Deque<String> todo = new ArrayDeque<>(Collections.singleton(start));
                while (!todo.isEmpty()) {
                    for (String n : adjacency.get(todo.pop())) {
                        if (seen.add(n)) {
                            todo.push(n);
                        }
                    }
                }
            }
        }
        return components;
    }

    /**
     * The diameter of {@code server}'s connected component: the most hops between two of its
     * servers (0 for a server alone or not in the graph). Every server of a component gets the same
     * number, which is what lets them agree on how long a flood over the component lasts.
     */
    public int componentDiameter(String server) {
        if (!contains(server)) {
            return 0;
        }
        int diameter = 0;
        for (String s : distances(server).keySet()) {
            for (int d : distances(s).values()) {
                diameter = Math.max(diameter, d);
            }
        }
        return diameter;
    }

    /** Hop distances from {@code start} to every server it reaches (breadth first). */
    private Map<String, Integer> distances(String start) {
        Map<String, Integer> dist = new HashMap<>();
        dist.put(start, 0);
        Deque<String> todo = new ArrayDeque<>(Collections.singleton(start));
        while (!todo.isEmpty()) {
            String at = todo.poll();
            for (String n : adjacency.get(at)) {
                if (!dist.containsKey(n)) {
                    dist.put(n, dist.get(at) + 1);
                    todo.add(n);
                }
            }
        }
        return dist;
    }

    /** A copy with link a-b added (weight may be NaN) or removed. */
    public Graph withEdge(Edge edge, boolean up) {
        Map<String, TreeSet<String>> adj = new TreeMap<>();
        adjacency.forEach((k, v) -> adj.put(k, new TreeSet<>(v)));
        Map<String, Double> w = new TreeMap<>(weights);
        if (up) {
            adj.get(edge.a).add(edge.b);
            adj.get(edge.b).add(edge.a);
            w.put(edge.id(), edge.weight);
        } else {
            adj.get(edge.a).remove(edge.b);
            adj.get(edge.b).remove(edge.a);
            w.remove(edge.id());
        }
        // explicit weights survive a change only while every remaining link still has one
        boolean allWeighted = !w.isEmpty() && w.values().stream().noneMatch(x -> x.isNaN());
        return new Graph(adj, allWeighted && !weights.isEmpty() ? w : Map.of());
    }
}
