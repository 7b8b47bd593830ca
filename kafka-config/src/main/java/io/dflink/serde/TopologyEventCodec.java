package io.dflink.serde;

import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.TopologyEvent;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON codec of {@link TopologyEvent}; schema: {@code schemas/topology-event.schema.json}. Checks
 * shape only (known servers, no self-loops, no duplicate links); graph-level validity such as
 * connectivity and weight properties is checked by the job against the whole topology history.
 */
public final class TopologyEventCodec {

    private TopologyEventCodec() {}

    public static TopologyEvent decode(byte[] bytes) throws InvalidEventException {
        JsonFields f = JsonFields.parse(bytes);
        String type = f.text("type");
        long effectiveRound = f.nonNegativeLong("effectiveRound");
        switch (type) {
            case TopologyEvent.TYPE_GRAPH:
                return decodeGraph(f, effectiveRound);
            case TopologyEvent.TYPE_EDGE:
                Edge edge =
                        new Edge(
                                f.text("a"),
                                f.text("b"),
                                f.has("weight") ? f.number("weight") : Double.NaN);
                checkNotSelfLoop(edge);
                return TopologyEvent.edge(effectiveRound, edge, f.bool("up"));
            default:
                throw new InvalidEventException(
                        RejectReason.UNKNOWN_TYPE, "unknown topology event type '" + type + "'");
        }
    }

    private static TopologyEvent decodeGraph(JsonFields f, long effectiveRound)
            throws InvalidEventException {
        List<String> servers = stringList(f.required("servers"), "servers");
        if (servers.isEmpty()) {
            throw invalid("a graph needs at least one server");
        }
        Set<String> known = new LinkedHashSet<>(servers);
        if (known.size() != servers.size()) {
            throw invalid("a server is listed twice in 'servers'");
        }
        JsonNode edgesNode = f.has("edges") ? f.required("edges") : null;
        JsonNode weightsNode = f.has("weights") ? f.required("weights") : null;
        List<Edge> edges = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int count = edgesNode == null ? 0 : edgesNode.size();
        if (edgesNode != null && !edgesNode.isArray()) {
            throw wrongType("edges", "an array of [a, b] pairs");
        }
        if (weightsNode != null && (!weightsNode.isArray() || weightsNode.size() != count)) {
            throw invalid("'weights' must be an array with one number per edge");
        }
        for (int i = 0; i < count; i++) {
            List<String> pair = stringList(edgesNode.get(i), "edges[" + i + "]");
            if (pair.size() != 2) {
                throw wrongType("edges[" + i + "]", "a pair [a, b]");
            }
            double w = Double.NaN;
            if (weightsNode != null) {
                if (!weightsNode.get(i).isNumber()) {
                    throw wrongType("weights[" + i + "]", "a number");
                }
                w = weightsNode.get(i).doubleValue();
            }
            Edge e = new Edge(pair.get(0), pair.get(1), w);
            checkNotSelfLoop(e);
            if (!known.contains(e.a) || !known.contains(e.b)) {
                throw invalid("edge " + e.a + "-" + e.b + " names a server not in 'servers'");
            }
            if (!seen.add(e.id())) {
                throw invalid("edge " + e.a + "-" + e.b + " is listed twice");
            }
            edges.add(e);
        }
        return TopologyEvent.graph(effectiveRound, servers, edges);
    }

    public static byte[] encode(TopologyEvent e) {
        return JsonWriting.object(
                g -> {
                    g.writeStringField("type", e.type);
                    g.writeNumberField("effectiveRound", e.effectiveRound);
                    if (e.isGraph()) {
                        g.writeArrayFieldStart("servers");
                        for (String s : e.servers) {
                            g.writeString(s);
                        }
                        g.writeEndArray();
                        g.writeArrayFieldStart("edges");
                        for (Edge edge : e.edges) {
                            g.writeStartArray();
                            g.writeString(edge.a);
                            g.writeString(edge.b);
                            g.writeEndArray();
                        }
                        g.writeEndArray();
                        if (!e.edges.isEmpty() && e.edges.stream().allMatch(Edge::hasWeight)) {
                            g.writeArrayFieldStart("weights");
                            for (Edge edge : e.edges) {
                                g.writeNumber(edge.weight);
                            }
                            g.writeEndArray();
                        }
                    } else {
                        Edge edge = e.edges.get(0);
                        g.writeStringField("a", edge.a);
                        g.writeStringField("b", edge.b);
                        g.writeBooleanField("up", e.up);
                        if (edge.hasWeight()) {
                            g.writeNumberField("weight", edge.weight);
                        }
                    }
                });
    }

    private static List<String> stringList(JsonNode node, String field)
            throws InvalidEventException {
        if (!node.isArray()) {
            throw wrongType(field, "an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode x : node) {
            if (!x.isTextual() || x.asText().isEmpty()) {
                throw wrongType(field, "an array of non-empty strings");
            }
            out.add(x.asText());
        }
        return out;
    }

    private static void checkNotSelfLoop(Edge e) throws InvalidEventException {
        if (e.a.equals(e.b)) {
            throw invalid("self-loop " + e.a + "-" + e.b + " (self weights are implied)");
        }
    }

    private static InvalidEventException invalid(String message) {
        return new InvalidEventException(RejectReason.INVALID_TOPOLOGY, message);
    }

    private static InvalidEventException wrongType(String field, String expected) {
        return new InvalidEventException(
                RejectReason.WRONG_TYPE, "field '" + field + "' must be " + expected);
    }
}
