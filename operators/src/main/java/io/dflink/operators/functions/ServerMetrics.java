package io.dflink.operators.functions;

import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.Traffic;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.util.HashMap;
import java.util.Map;

/**
 * The servers' figures as Flink metrics, visible in Flink's web UI and every configured reporter
 * (Prometheus: README, "Metrics"). Per server (group {@code server=<id>}; one per server the graph
 * names, so bounded by the graph): counters {@code <kind>Messages} and {@code <kind>Bytes} per
 * traffic kind, {@code syncs}, {@code rounds}, {@code duplicateUpdates}, {@code weightBounded},
 * {@code clipped}, {@code refused}, {@code discarded}; gauges {@code round} (the last finished
 * round), {@code clientsAggregated} (its client updates) and {@code consensusError} (its model's
 * largest distance to a neighbour's iterate); histograms {@code consensusStepMillis} and {@code
 * roundMillis} (wall time between a server's finished rounds). Per outgoing edge (group {@code
 * server=<id>.neighbour=<id>}, bounded by the graph's edges), counters {@code edgeMessages} and
 * {@code edgeBytes} of its consensus traffic. Per subtask, counters {@code deadLetters} by {@code
 * reason=<code>}: bounded by the reason codes, never keyed by what a hostile record names. Advanced
 * by each finished round's {@link RoundMetrics} and each reject.
 */
final class ServerMetrics {

    static final String[] KINDS = {
        "monitoringUp", "modelUp", "gradientUp", "modelDown", "control", "consensus"
    };

    /** Samples a histogram keeps: enough for steady quantiles, bounded memory per server. */
    private static final int WINDOW = 500;

    private final MetricGroup group;
    private final MetricsDetail detail;
    private final Map<String, Counter> counters = new HashMap<>();
    private final Map<String, PerServer> servers = new HashMap<>();

    /** The gauges' values and the histograms of one server. */
    private static final class PerServer {
        volatile long round = -1;
        volatile long clientsAggregated;
        volatile double consensusError;
        double lastRoundAtMillis = Double.NaN;
        Histogram stepMillis;
        Histogram roundMillis;
    }

    ServerMetrics(MetricGroup group) {
        this(group, MetricsDetail.EDGES);
    }

    ServerMetrics(MetricGroup group, MetricsDetail detail) {
        this.group = group;
        this.detail = detail;
    }

    /** A server finished a round at {@code nowMillis} (a monotonic clock, in ms). */
    void add(RoundMetrics m, double nowMillis) {
        if (detail == MetricsDetail.NONE) {
            return;
        }
        Traffic[] byKind = {
            m.monitoringUp, m.modelUp, m.gradientUp, m.modelDown, m.control, m.consensus
        };
        for (int i = 0; i < KINDS.length; i++) {
            counter(m.serverId, KINDS[i] + "Messages").inc(byKind[i].messages);
            counter(m.serverId, KINDS[i] + "Bytes").inc(byKind[i].bytes);
        }
        counter(m.serverId, "syncs").inc(m.syncs);
        counter(m.serverId, "rounds").inc();
        counter(m.serverId, "duplicateUpdates").inc(m.duplicateUpdates);
        counter(m.serverId, "weightBounded").inc(m.weightBounded.size());
        counter(m.serverId, "clipped").inc(m.clipped.size());
        counter(m.serverId, "refused").inc(m.refused.size());
        counter(m.serverId, "discarded").inc(m.discarded.size());
        if (detail == MetricsDetail.EDGES) {
            for (Map.Entry<String, Traffic> e : m.consensusTo.entrySet()) {
                edge(m.serverId, e.getKey(), "edgeMessages").inc(e.getValue().messages);
                edge(m.serverId, e.getKey(), "edgeBytes").inc(e.getValue().bytes);
            }
        }
        PerServer s = server(m.serverId);
        s.round = m.round;
        s.clientsAggregated = m.clientUpdates;
        for (double ms : m.stepMillis) {
            s.stepMillis.update(Math.round(ms));
        }
        if (!Double.isNaN(s.lastRoundAtMillis)) {
            s.roundMillis.update(Math.round(nowMillis - s.lastRoundAtMillis));
        }
        s.lastRoundAtMillis = nowMillis;
    }

    /** A server published {@code model}; a round's starting model sets its consensus error. */
    void model(ServerModel model) {
        if (model.step == 0 && detail != MetricsDetail.NONE) {
            server(model.serverId).consensusError = model.consensusError;
        }
    }

    /** A record was dead-lettered with {@code reasonCode}. */
    void deadLetter(String reasonCode) {
        if (detail == MetricsDetail.NONE) {
            return;
        }
        counters.computeIfAbsent(
                        "reason\u0000" + reasonCode,
                        k -> group.addGroup("reason", reasonCode).counter("deadLetters"))
                .inc();
    }

    private PerServer server(String id) {
        return servers.computeIfAbsent(
                id,
                k -> {
                    PerServer s = new PerServer();
                    MetricGroup g = group.addGroup("server", id);
                    g.gauge("round", () -> s.round);
                    g.gauge("clientsAggregated", () -> s.clientsAggregated);
                    g.gauge("consensusError", () -> s.consensusError);
                    s.stepMillis =
                            g.histogram(
                                    "consensusStepMillis",
                                    new DescriptiveStatisticsHistogram(WINDOW));
                    s.roundMillis =
                            g.histogram("roundMillis", new DescriptiveStatisticsHistogram(WINDOW));
                    return s;
                });
    }

    private Counter edge(String server, String neighbour, String name) {
        return counters.computeIfAbsent(
                server + '\u0000' + neighbour + '\u0000' + name,
                k ->
                        group.addGroup("server", server)
                                .addGroup("neighbour", neighbour)
                                .counter(name));
    }

    private Counter counter(String server, String name) {
        return counters.computeIfAbsent(
                server + '\u0000' + name, k -> group.addGroup("server", server).counter(name));
    }
}
