package io.dflink.operators.functions;

import io.dflink.records.RoundMetrics;
import io.dflink.records.Traffic;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * The servers' communication accounting as Flink metrics: per server (group {@code server=<id>})
 * and kind, counters {@code <kind>Messages} and {@code <kind>Bytes}, plus {@code syncs} and {@code
 * rounds}, advanced by each finished round's {@link RoundMetrics}. Visible in the web UI and every
 * configured metrics reporter.
 */
final class TrafficMetrics {

    static final String[] KINDS = {
        "monitoringUp", "modelUp", "gradientUp", "modelDown", "control", "consensus"
    };

    private final MetricGroup group;
    private final Map<String, Counter> counters = new HashMap<>();

    TrafficMetrics(MetricGroup group) {
        this.group = group;
    }

    void add(RoundMetrics m) {
        Traffic[] byKind = {
            m.monitoringUp, m.modelUp, m.gradientUp, m.modelDown, m.control, m.consensus
        };
        for (int i = 0; i < KINDS.length; i++) {
            counter(m.serverId, KINDS[i] + "Messages").inc(byKind[i].messages);
            counter(m.serverId, KINDS[i] + "Bytes").inc(byKind[i].bytes);
        }
        counter(m.serverId, "syncs").inc(m.syncs);
        counter(m.serverId, "rounds").inc();
    }

    private Counter counter(String server, String name) {
        return counters.computeIfAbsent(
                server + '\u0000' + name, k -> group.addGroup("server", server).counter(name));
    }
}
