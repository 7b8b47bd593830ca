package io.dflink.operators.functions;

import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.Traffic;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The servers' Flink metrics: per server group and kind, summed over rounds; rejects by reason. */
class ServerMetricsTest {

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
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(path + name, gauge);
            return gauge;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            histograms.put(path + name, histogram);
            return histogram;
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

    private static final Map<String, Gauge<?>> gauges = new HashMap<>();
    private static final Map<String, Histogram> histograms = new HashMap<>();

    @Test
    void shouldCountEachServersTrafficByKindAcrossRounds() {
        Map<String, Counter> counters = new HashMap<>();
        ServerMetrics metrics = new ServerMetrics(new Capturing("", counters));
        metrics.add(round("s1", 1), 1000);
        metrics.add(round("s1", 2), 1250);
        metrics.add(round("s2", 5), 1300);
        metrics.deadLetter("WRONG_DIMENSION");
        metrics.deadLetter("WRONG_DIMENSION");
        metrics.deadLetter("MALFORMED_BINARY");

        assertThat(counters.get("server=s1.modelUpMessages").getCount()).isEqualTo(3);
        assertThat(counters.get("server=s1.modelUpBytes").getCount()).isEqualTo(300);
        assertThat(counters.get("server=s1.monitoringUpBytes").getCount()).isEqualTo(30);
        assertThat(counters.get("server=s1.controlMessages").getCount()).isEqualTo(6);
        assertThat(counters.get("server=s1.consensusBytes").getCount()).isEqualTo(3000);
        assertThat(counters.get("server=s1.syncs").getCount()).isEqualTo(3);
        assertThat(counters.get("server=s1.rounds").getCount()).isEqualTo(2);
        assertThat(counters.get("server=s2.modelDownBytes").getCount()).isEqualTo(500);
        assertThat(counters.get("server=s1.clipped").getCount()).isEqualTo(2 + 4);
        assertThat(counters.get("reason=WRONG_DIMENSION.deadLetters").getCount()).isEqualTo(2);
        assertThat(counters.get("reason=MALFORMED_BINARY.deadLetters").getCount()).isEqualTo(1);
        assertThat(counters.get("server=s1.neighbour=s2.edgeMessages").getCount()).isEqualTo(3);
        assertThat(counters.get("server=s1.neighbour=s2.edgeBytes").getCount()).isEqualTo(3000);
        assertThat(counters).hasSize(2 * (2 * ServerMetrics.KINDS.length + 7 + 2) + 2);
        assertThat(gauges.get("server=s1.round").getValue()).isEqualTo(2L);
        assertThat(gauges.get("server=s2.clientsAggregated").getValue()).isEqualTo(5L);
        assertThat(histograms.get("server=s1.roundMillis").getStatistics().getMax()).isEqualTo(250);
        assertThat(histograms.get("server=s1.consensusStepMillis").getCount()).isEqualTo(3);
        assertThat(histograms.get("server=s2.roundMillis").getCount())
                .as("a server's first round has no duration")
                .isZero();
    }

    @Test
    void shouldShowTheConsensusErrorOfEachRoundsStartingModel() {
        ServerMetrics metrics = new ServerMetrics(new Capturing("", new HashMap<>()));
        ServerModel start = new ServerModel("s7", 3, new double[] {1});
        start.consensusError = 0.25;
        ServerModel sync = new ServerModel("s7", 3, new double[] {1});
        sync.step = 2;
        sync.consensusError = 9;
        metrics.model(start);
        metrics.model(sync);

        assertThat(gauges.get("server=s7.consensusError").getValue())
                .as("an FDA sync within the round is not a consensus result")
                .isEqualTo(0.25);
    }

    private static RoundMetrics round(String server, int k) {
        RoundMetrics m = new RoundMetrics();
        m.serverId = server;
        m.modelUp.add(k, 100L * k);
        m.monitoringUp.add(k, 10L * k);
        m.modelDown.add(k, 100L * k);
        m.control.add(2L * k, 20L * k);
        m.consensus.add(k, 1000L * k);
        m.consensusTo.put(server.equals("s1") ? "s2" : "s1", new Traffic(k, 1000L * k));
        m.syncs = k;
        m.round = k;
        m.clientUpdates = k;
        for (int i = 0; i < 2 * k; i++) {
            m.clipped.add("c" + i);
        }
        m.stepMillis = k == 1 ? new double[] {12.4} : new double[] {20.6, 18};
        return m;
    }
}
