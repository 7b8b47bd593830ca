package io.dflink.tools.report;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.TopicSpec;
import io.dflink.kafka.Topics;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.Traffic;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.DeadLetterCodec;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.RoundMetricsCodec;
import io.dflink.serde.ServerModelCodec;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches a run from the outside, as any Kafka client could: reads every output topic (and the
 * client updates) from the beginning and keeps the models per server and round, the consensus step
 * latencies, the dead letters, and message and byte counts per topic and per sending server.
 */
public final class RunObserver implements AutoCloseable {

    private final String prefix;
    private final Properties consumerProperties;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    // guarded by this
    private final Map<String, TreeMap<Long, ServerModel>> models = new TreeMap<>();
    private final Map<String, Map<Long, Long>> publishedAt = new TreeMap<>(); // record timestamps
    private final List<Double> stepMillis = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<String, long[]> perTopic = new TreeMap<>(); // {messages, bytes}
    private final Map<String, Traffic> communication = new LinkedHashMap<>();
    private final Map<String, long[]> sentByServer = new TreeMap<>(); // {messages, bytes}

    public RunObserver(Properties kafka, String topicPrefix) {
        this.prefix = topicPrefix;
        this.consumerProperties = KafkaProperties.byteConsumer(kafka, "dflink-observer");
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
        this.consumer = new KafkaConsumer<>(consumerProperties);
        List<TopicPartition> partitions =
                partitions(consumer, Topics.SERVER_MODELS, Topics.METRICS, Topics.DEAD_LETTER);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "dflink-observer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Counts the high-volume traffic (consensus messages, client updates) written so far. Read
     * once, after the run, rather than live: a live reader would add a broker fetch per message and
     * slow the very loop it measures.
     */
    public void countTraffic() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties)) {
            List<TopicPartition> partitions =
                    partitions(c, Topics.CONSENSUS, Topics.CLIENT_UPDATES, Topics.CONTROL);
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    synchronized (this) {
                        record(r);
                    }
                }
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> c, TopicSpec... specs) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicSpec spec : specs) {
            for (PartitionInfo info : c.partitionsFor(spec.under(prefix))) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
        }
        return partitions;
    }

    private void loop() {
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    synchronized (this) {
                        record(r);
                    }
                }
            }
        } finally {
            consumer.close();
        }
    }

    private void record(ConsumerRecord<byte[], byte[]> r) {
        long bytes = r.serializedKeySize() + (long) Math.max(0, r.serializedValueSize());
        String topic = r.topic().substring(prefix.length());
        long[] t = perTopic.computeIfAbsent(topic, k -> new long[2]);
        t[0]++;
        t[1] += bytes;
        try {
            switch (topic) {
                case "server-models":
                    ServerModel m = ServerModelCodec.decode(r.value(), Integer.MAX_VALUE);
                    if (m.step == 0) { // FDA's sync averages are within-round, not round models
                        models.computeIfAbsent(m.serverId, k -> new TreeMap<>()).put(m.round, m);
                        publishedAt
                                .computeIfAbsent(m.serverId, k -> new HashMap<>())
                                .put(m.round, r.timestamp());
                    }
                    countSent(m.serverId, bytes);
                    break;
                case "consensus":
                    countSent(
                            ConsensusMessageCodec.decode(r.value(), Integer.MAX_VALUE).from, bytes);
                    break;
                case "metrics":
                    RoundMetrics rm = RoundMetricsCodec.decode(r.value());
                    for (double ms : rm.stepMillis) {
                        stepMillis.add(ms);
                    }
                    addCommunication(rm);
                    break;
                case "dead-letter":
                    deadLetters.add(DeadLetterCodec.decode(r.value()));
                    break;
                default:
                    break;
            }
        } catch (InvalidEventException e) {
            // an observer reports what it can read; the job validates what it consumes
        }
    }

    private void countSent(String server, long bytes) {
        long[] s = sentByServer.computeIfAbsent(server, k -> new long[2]);
        s[0]++;
        s[1] += bytes;
    }

    /**
     * [server][round]: when each of {@code servers} published its model of rounds 1..{@code rounds}
     * (index 0 unused), from the records' timestamps (the job's producers stamp them when sending),
     * in epoch milliseconds. Unlike {@link #awaitRound}'s clock this does not depend on how far
     * this observer lags behind, so timings taken with it hold on a saturated machine.
     */
    public synchronized long[][] publishedAtMillis(List<String> servers, int rounds) {
        long[][] t = new long[servers.size()][rounds + 1];
        for (int i = 0; i < t.length; i++) {
            Map<Long, Long> byRound = publishedAt.getOrDefault(servers.get(i), Map.of());
            for (int r = 1; r <= rounds; r++) {
                Long at = byRound.get((long) r);
                if (at == null) {
                    throw new IllegalStateException(
                            servers.get(i) + " has not published round " + r);
                }
                t[i][r] = at;
            }
        }
        return t;
    }

    /** The highest round r such that every server in {@code servers} has published round r. */
    public synchronized long roundReachedByAll(List<String> servers) {
        long min = Long.MAX_VALUE;
        for (String s : servers) {
            TreeMap<Long, ServerModel> m = models.get(s);
            min = Math.min(min, m == null || m.isEmpty() ? -1 : m.lastKey());
        }
        return min;
    }

    /**
     * Waits until every server in {@code servers} has published round {@code round}; returns {@link
     * System#nanoTime()} at that moment, for timings.
     */
    public long awaitRound(List<String> servers, long round, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (roundReachedByAll(servers) < round) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "round "
                                + round
                                + " not reached by all servers within "
                                + timeout
                                + "; reached "
                                + roundReachedByAll(servers));
            }
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    /** Server id -> its model of {@code round}, for those that published it. */
    public synchronized Map<String, double[]> modelsAt(long round) {
        Map<String, double[]> out = new TreeMap<>();
        models.forEach(
                (s, byRound) -> {
                    ServerModel m = byRound.get(round);
                    if (m != null) {
                        out.put(s, m.vector.clone());
                    }
                });
        return out;
    }

    public synchronized List<Double> stepMillis() {
        return new ArrayList<>(stepMillis);
    }

    public synchronized List<DeadLetter> deadLetters() {
        return new ArrayList<>(deadLetters);
    }

    /** Topic (relative name) -> {messages, bytes}. */
    /** The servers' own accounting by kind, summed over their metrics records. */
    public synchronized Map<String, Traffic> communication() {
        Map<String, Traffic> copy = new LinkedHashMap<>();
        communication.forEach((k, v) -> copy.put(k, new Traffic(v.messages, v.bytes)));
        return copy;
    }

    private void addCommunication(RoundMetrics m) {
        Traffic[] kinds = {
            m.monitoringUp, m.modelUp, m.gradientUp, m.modelDown, m.control, m.consensus
        };
        String[] names = {
            "monitoringUp", "modelUp", "gradientUp", "modelDown", "control", "consensus"
        };
        for (int i = 0; i < kinds.length; i++) {
            communication.computeIfAbsent(names[i], k -> new Traffic()).add(kinds[i]);
        }
    }

    public synchronized Map<String, long[]> perTopic() {
        Map<String, long[]> copy = new TreeMap<>();
        perTopic.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Server -> {messages, bytes} it sent: its models and its consensus messages. */
    public synchronized Map<String, long[]> sentByServer() {
        Map<String, long[]> copy = new TreeMap<>();
        sentByServer.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
