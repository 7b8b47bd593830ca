package io.dflink.tools.bench;

import io.dflink.kafka.KafkaProperties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * A backlog of records written to a topic before anything reads it, and the ceiling on reading it:
 * a bare {@link KafkaConsumer} draining it from the beginning. Benchmarks that time the job alone
 * (ingest, fan-in from a backlog) write with it, so neither a fleet nor a producer competes with
 * the job for the cores while it is timed.
 */
final class Backlog {

    private Backlog() {}

    /**
     * Writes what {@code records} hands to its sink, in that order, batched for throughput; returns
     * once every record is acknowledged, with the value bytes written.
     */
    static long produce(
            Properties common, Consumer<Consumer<ProducerRecord<byte[], byte[]>>> records) {
        Properties p = KafkaProperties.byteProducer(common);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 20));
        long[] bytes = {0};
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            records.accept(
                    r -> {
                        bytes[0] += r.value().length;
                        producer.send(r);
                    });
            producer.flush();
        }
        return bytes[0];
    }

    /** Seconds a plain consumer takes to read {@code records} records from the beginning. */
    static double bareConsume(Properties common, String topic, long records) {
        Properties p = KafkaProperties.byteConsumer(common, "bare-" + topic);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo i : c.partitionsFor(topic)) {
                parts.add(new TopicPartition(topic, i.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            long start = System.nanoTime();
            long n = 0;
            long sink = 0;
            while (n < records) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    n++;
                    sink += r.value().length; // touch what the job would hand on
                }
            }
            if (sink == 0) {
                throw new IllegalStateException("the backlog is empty");
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
