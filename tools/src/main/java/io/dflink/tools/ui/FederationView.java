package io.dflink.tools.ui;

import io.dflink.records.DeadLetter;
import io.dflink.records.Edge;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.TopologyEvent;
import io.dflink.records.Traffic;
import io.dflink.tools.report.LoraRounds;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the web view shows, built from the job's own topics and nothing else: the topology as the
 * topology topic last left it; per server and round its consensus error and how far its model moved
 * (the convergence figure that needs no known optimum); per edge the consensus traffic the metrics
 * topic counted and whether the edge carried any in its sender's last round; FDA's syncs and
 * decentralised LoRA's cross term and disagreement per round; the newest dead letters and their
 * count by reason. Bounded: the last {@link #HISTORY} rounds per server and {@link #DEAD_LETTERS}
 * dead letters. Not thread-safe: the feed's thread owns it and hands out {@link #snapshot()}s.
 */
final class FederationView {

    static final int HISTORY = 500;
    static final int DEAD_LETTERS = 50;

    /** One round of one server, as its round-start model and the round's metrics tell it. */
    private static final class Point {
        final long round;
        double consensusError;
        double change = Double.NaN;
        int clients;
        int syncs = -1;

        Point(long round) {
            this.round = round;
        }
    }

    private final TreeSet<String> servers = new TreeSet<>();
    private final TreeSet<List<String>> edges = new TreeSet<>(FederationView::compare);
    private final Map<String, TreeMap<Long, Point>> rounds = new TreeMap<>();
    private final Map<String, double[]> lastVector = new TreeMap<>();
    private final Map<String, Map<String, Traffic>> edgeTotals = new TreeMap<>();
    private final Map<String, Map<String, Traffic>> edgeLastRound = new TreeMap<>();
    private final Map<String, Long> reasons = new TreeMap<>();
    private final Deque<DeadLetter> deadLetters = new ArrayDeque<>();
    private final List<LoraRounds.Round> lora = new ArrayList<>();
    private final LoraRounds loraRounds = new LoraRounds();
    private String algorithm = "DFL";
    private long version;

    /** Bumped by every change: the server pushes a snapshot when it moves. */
    long version() {
        return version;
    }

    void topology(TopologyEvent e) {
        if (e.isGraph()) {
            servers.clear();
            servers.addAll(e.servers);
            edges.clear();
            for (Edge edge : e.edges) {
                edges.add(pair(edge));
            }
        } else if (e.edges.size() == 1) {
            List<String> p = pair(e.edges.get(0));
            if (e.up) {
                servers.addAll(p);
                edges.add(p);
            } else {
                edges.remove(p);
            }
        }
        version++;
    }

    void model(ServerModel m) {
        if (m.step > 0) {
            return; // FDA syncs and LT-ADMM's local iterates: within a round, not its result
        }
        algorithm =
                m.fda != null
                        ? "FDA"
                        : m.admm != null ? "LT_ADMM" : m.lora != null ? "LORA" : algorithm;
        Point p = point(m.serverId, m.round);
        p.consensusError = m.consensusError;
        p.clients = m.clientsAggregated;
        double[] before = lastVector.put(m.serverId, m.vector);
        if (before != null && before.length == m.vector.length) {
            p.change = distance(before, m.vector);
        }
        LoraRounds.Round r = loraRounds.accept(m);
        if (r != null) {
            lora.add(r);
            if (lora.size() > HISTORY) {
                lora.remove(0);
            }
        }
        version++;
    }

    void metrics(RoundMetrics m) {
        if (m.syncs > 0 || algorithm.equals("FDA")) {
            point(m.serverId, m.round + 1).syncs = m.syncs; // round r's syncs made model r + 1
        }
        Map<String, Traffic> totals = edgeTotals.computeIfAbsent(m.serverId, k -> new TreeMap<>());
        for (Map.Entry<String, Traffic> e : m.consensusTo.entrySet()) {
            totals.computeIfAbsent(e.getKey(), k -> new Traffic()).add(e.getValue());
        }
        edgeLastRound.put(m.serverId, m.consensusTo);
        version++;
    }

    void deadLetter(DeadLetter d) {
        reasons.merge(d.reasonCode, 1L, Long::sum);
        deadLetters.addFirst(d);
        if (deadLetters.size() > DEAD_LETTERS) {
            deadLetters.removeLast();
        }
        version++;
    }

    /** The whole view as one JSON document (the page's only input). */
    byte[] snapshot() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", version);
            g.writeStringField("algorithm", algorithm);
            g.writeArrayFieldStart("servers");
            for (String s : servers) {
                g.writeString(s);
            }
            g.writeEndArray();
            writeEdges(g);
            writeRounds(g);
            writeLora(g);
            writeDeadLetters(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeEdges(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("edges");
        for (List<String> e : edges) {
            Traffic ab = traffic(edgeTotals, e.get(0), e.get(1));
            Traffic ba = traffic(edgeTotals, e.get(1), e.get(0));
            g.writeStartObject();
            g.writeStringField("a", e.get(0));
            g.writeStringField("b", e.get(1));
            g.writeNumberField("messages", ab.messages + ba.messages);
            g.writeNumberField("bytes", ab.bytes + ba.bytes);
            g.writeBooleanField("active", active(e.get(0), e.get(1)) || active(e.get(1), e.get(0)));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void writeRounds(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("rounds");
        for (Map.Entry<String, TreeMap<Long, Point>> s : rounds.entrySet()) {
            g.writeArrayFieldStart(s.getKey());
            for (Point p : s.getValue().values()) {
                g.writeStartArray();
                g.writeNumber(p.round);
                writeNumber(g, p.consensusError);
                writeNumber(g, p.change);
                g.writeNumber(p.clients);
                g.writeNumber(p.syncs);
                g.writeEndArray();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private void writeLora(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("lora");
        for (LoraRounds.Round r : lora) {
            g.writeStartArray();
            g.writeNumber(r.round());
            writeNumber(g, r.crossTerm());
            writeNumber(g, r.disagreementA());
            writeNumber(g, r.disagreementB());
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private void writeDeadLetters(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("deadLetterCounts");
        for (Map.Entry<String, Long> e : reasons.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("deadLetters");
        for (DeadLetter d : deadLetters) {
            g.writeStartObject();
            g.writeStringField("reasonCode", d.reasonCode);
            g.writeStringField("reason", d.reason);
            g.writeStringField("source", d.sourceTopic + "[" + d.partition + "]@" + d.offset);
            g.writeStringField("key", d.key);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private Point point(String server, long round) {
        TreeMap<Long, Point> history = rounds.computeIfAbsent(server, k -> new TreeMap<>());
        Point p = history.computeIfAbsent(round, Point::new);
        while (history.size() > HISTORY) {
            history.pollFirstEntry();
        }
        return p;
    }

    private boolean active(String from, String to) {
        Map<String, Traffic> last = edgeLastRound.get(from);
        return last != null && last.containsKey(to) && last.get(to).messages > 0;
    }

    private static Traffic traffic(
            Map<String, Map<String, Traffic>> byFrom, String from, String to) {
        Map<String, Traffic> m = byFrom.get(from);
        Traffic t = m == null ? null : m.get(to);
        return t == null ? new Traffic() : t;
    }

    /** JSON has no NaN or infinity: those are written as null. */
    private static void writeNumber(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    private static List<String> pair(Edge e) {
        return e.a.compareTo(e.b) <= 0 ? List.of(e.a, e.b) : List.of(e.b, e.a);
    }

    private static int compare(List<String> x, List<String> y) {
        int c = x.get(0).compareTo(y.get(0));
        return c != 0 ? c : x.get(1).compareTo(y.get(1));
    }
}
