package io.dflink.tools.ui;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.Topics;
import io.dflink.serde.DeadLetterCodec;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.RoundMetricsCodec;
import io.dflink.serde.ServerModelCodec;
import io.dflink.serde.TopologyEventCodec;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the job's topology, server-models, metrics and dead-letter topics from their beginning into
 * a {@link FederationView}, on its own thread, read-only: partitions are assigned, never
 * subscribed, and no offset is ever committed, so the web view leaves no trace on a user's cluster.
 * Publishes a fresh snapshot after every batch that changed the view.
 */
final class TopicFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFeed.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topology;
    private final String models;
    private final String metrics;
    private final String dead;
    private final FederationView view = new FederationView();
    private final AtomicReference<byte[]> snapshot;
    private final Thread thread;
    private volatile boolean running = true;

    TopicFeed(Properties common, String prefix) {
        topology = Topics.TOPOLOGY.under(prefix);
        models = Topics.SERVER_MODELS.under(prefix);
        metrics = Topics.METRICS.under(prefix);
        dead = Topics.DEAD_LETTER.under(prefix);
        consumer = new KafkaConsumer<>(KafkaProperties.readOnlyConsumer(common, "dflink-ui"));
        snapshot = new AtomicReference<>(view.snapshot());
        thread = new Thread(this::run, "dflink-ui-feed");
        thread.setDaemon(true);
    }

    /** Assigns every partition of the four topics (they must exist) and starts reading. */
    TopicFeed start() {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(topology, models, metrics, dead)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic "
                                + topic
                                + " does not exist: start the job first, or check"
                                + " --bootstrap-servers and --topic-prefix");
            }
            for (PartitionInfo i : infos) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        thread.start();
        return this;
    }

    /** The newest snapshot of the view (JSON). */
    byte[] snapshot() {
        return snapshot.get();
    }

    private void run() {
        try {
            while (running) {
                long before = view.version();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    accept(r);
                }
                if (view.version() != before) {
                    snapshot.set(view.snapshot());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("the web view stopped reading the topics", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) {
            return; // a tombstone of a compacted topic
        }
        try {
            if (r.topic().equals(models)) {
                view.model(ServerModelCodec.decode(r.value(), Integer.MAX_VALUE));
            } else if (r.topic().equals(metrics)) {
                view.metrics(RoundMetricsCodec.decode(r.value()));
            } else if (r.topic().equals(dead)) {
                view.deadLetter(DeadLetterCodec.decode(r.value()));
            } else {
                view.topology(TopologyEventCodec.decode(r.value()));
            }
        } catch (InvalidEventException e) {
            // the job validates the topology; anything else unreadable is not the view's to show
            LOG.debug("skipped an unreadable record of {}: {}", r.topic(), e.getMessage());
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
