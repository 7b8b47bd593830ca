package io.dflink.operators.functions;

import io.dflink.records.RoundMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The accounting's Flink counters: per server group, per kind, summed over rounds. */
class TrafficMetricsTest {

    /** A metric group that records its counters by path, as a reporter would see them. */
    private static final class Capturing extends UnregisteredMetricsGroup {
        private final String path;
        private final Map<String, Counter> counters;

        Capturing(String path, Map<String, Counter> counters) {
            this.path = path;
            this.counters = counters;
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new Capturing(path + key + "=" + value + ".", counters);
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(path + name, counter);
            return counter;
        }
    }

    @Test
    void shouldCountEachServersTrafficByKindAcrossRounds() {
        Map<String, Counter> counters = new HashMap<>();
        TrafficMetrics metrics = new TrafficMetrics(new Capturing("", counters));
        metrics.add(round("s1", 1));
        metrics.add(round("s1", 2));
        metrics.add(round("s2", 5));

        assertThat(counters.get("server=s1.modelUpMessages").getCount()).isEqualTo(3);
        assertThat(counters.get("server=s1.modelUpBytes").getCount()).isEqualTo(300);
        assertThat(counters.get("server=s1.monitoringUpBytes").getCount()).isEqualTo(30);
        assertThat(counters.get("server=s1.controlMessages").getCount()).isEqualTo(6);
        assertThat(counters.get("server=s1.consensusBytes").getCount()).isEqualTo(3000);
        assertThat(counters.get("server=s1.syncs").getCount()).isEqualTo(3);
        assertThat(counters.get("server=s1.rounds").getCount()).isEqualTo(2);
        assertThat(counters.get("server=s2.modelDownBytes").getCount()).isEqualTo(500);
        assertThat(counters).hasSize(2 * (2 * TrafficMetrics.KINDS.length + 2));
    }

    private static RoundMetrics round(String server, int k) {
        RoundMetrics m = new RoundMetrics();
        m.serverId = server;
        m.modelUp.add(k, 100L * k);
        m.monitoringUp.add(k, 10L * k);
        m.modelDown.add(k, 100L * k);
        m.control.add(2L * k, 20L * k);
        m.consensus.add(k, 1000L * k);
        m.syncs = k;
        return m;
    }
}
