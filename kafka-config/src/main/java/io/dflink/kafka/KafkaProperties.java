package io.dflink.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Map;
import java.util.Properties;

/**
 * Kafka client property profiles used by the job, the SDK and the tools. The security profile is
 * passed through as extra properties (e.g. {@code security.protocol=SASL_SSL} and its settings).
 */
public final class KafkaProperties {

    private KafkaProperties() {}

    /** Connection properties: bootstrap servers plus any user-supplied client properties. */
    public static Properties common(String bootstrapServers, Map<String, String> extra) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(extra);
        return p;
    }

    /**
     * Producer tuned for the consensus feedback loop: no linger, because every millisecond of
     * batching delay is paid once per consensus step (Kafka 4 lingers 5 ms by default: 5 ms more
     * per hop).
     */
    public static Properties lowLatencyProducer(Properties common) {
        Properties p = new Properties();
        p.putAll(common);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 << 20));
        return p;
    }

    /** A byte-array producer for devices and tools. */
    public static Properties byteProducer(Properties common) {
        Properties p = lowLatencyProducer(common);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /**
     * A byte-array producer for a runtime hosting many devices: a round's answers leave in one
     * burst, so batches up to 256 KiB per partition carry them in fewer produce requests (the
     * broker's cost is per request); no linger, so one device's update still leaves at once. A
     * {@code batch.size} in {@code common} wins (a small device may want Kafka's 16 KiB).
     */
    public static Properties fleetProducer(Properties common) {
        Properties p = byteProducer(common);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 << 10));
        return p;
    }

    /** Consumer settings that favour latency: fetch as soon as one byte is there. */
    public static Properties lowLatencyConsumer(Properties common, String groupId) {
        Properties p = new Properties();
        p.putAll(common);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** A byte-array consumer for devices and tools. */
    public static Properties byteConsumer(Properties common, String groupId) {
        Properties p = lowLatencyConsumer(common, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * A byte-array consumer that only looks: it commits no offsets (callers assign partitions
     * rather than join the group) and reads committed results only, whatever delivery the job
     * writes with. For `dflink watch`, the web view and other observers of a user's cluster.
     */
    public static Properties readOnlyConsumer(Properties common, String clientName) {
        Properties p = byteConsumer(common, clientName);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientName);
        return p;
    }
}
