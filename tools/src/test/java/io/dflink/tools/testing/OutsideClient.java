package io.dflink.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka client that speaks dflink's public contract the way any outside program would: plain
 * string keys and hand-written JSON, parsed with a generic JSON library. Nothing of dflink's own
 * code is used, so the tests that use it check the documented contract, not our codecs.
 */
public final class OutsideClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final KafkaProducer<String, String> producer;
    private final Properties base;

    public OutsideClient(String bootstrap) {
        this(bootstrap, new Properties());
    }

    /** A client with extra connection properties (e.g. TLS settings). */
    public OutsideClient(String bootstrap, Properties extra) {
        base = new Properties();
        base.putAll(extra);
        base.put("bootstrap.servers", bootstrap);
        Properties p = new Properties();
        p.putAll(base);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "0");
        producer = new KafkaProducer<>(p);
    }

    public void send(String topic, String key, String json) {
        send(new ProducerRecord<>(topic, key, json));
    }

    /** Sends without waiting; {@link #flush()} waits for everything sent so far. */
    public void sendAsync(ProducerRecord<String, String> record) {
        producer.send(record);
    }

    public void flush() {
        producer.flush();
    }

    public void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A consumer of every partition of {@code topic}, from the beginning, without a group. */
    public KafkaConsumer<String, String> reader(String topic) {
        return reader(topic, false);
    }

    /** As {@link #reader(String)}; {@code committedOnly} reads only committed transactions. */
    public KafkaConsumer<String, String> reader(String topic, boolean committedOnly) {
        Properties p = new Properties();
        p.putAll(base);
        p.put("isolation.level", committedOnly ? "read_committed" : "read_uncommitted");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo i : c.partitionsFor(topic)) {
            parts.add(new TopicPartition(topic, i.partition()));
        }
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /** Publishes the triangle s0-s1-s2 as the round-0 graph. */
    public void sendTriangle(String topologyTopic) {
        send(
                topologyTopic,
                "graph",
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\"],"
                        + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s0\"]]}");
    }

    /** Reads {@code topic} until {@code servers} servers published their last model. */
    public Map<String, JsonNode> awaitLastModels(String topic, int servers, long timeoutMillis) {
        Map<String, JsonNode> last = new HashMap<>();
        Map<String, Long> reached = new java.util.TreeMap<>(); // for the message of a hang
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try (KafkaConsumer<String, String> reader = reader(topic)) {
            while (last.size() < servers) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError(
                            "only "
                                    + last.keySet()
                                    + " finished in time; highest round per server: "
                                    + reached);
                }
                for (JsonNode m : poll(reader)) {
                    reached.merge(m.get("serverId").asText(), m.get("round").asLong(), Math::max);
                    if (m.get("last").asBoolean()) {
                        last.put(m.get("serverId").asText(), m);
                    }
                }
            }
        }
        return last;
    }

    /** A {@code graph} event: servers s0..s(n-1) on a ring, effective from round 0. */
    public static String ring(int servers) {
        StringBuilder ids = new StringBuilder();
        StringBuilder edges = new StringBuilder();
        for (int i = 0; i < servers; i++) {
            ids.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
            edges.append(i == 0 ? "" : ",")
                    .append("[\"s")
                    .append(i)
                    .append("\",\"s")
                    .append((i + 1) % servers)
                    .append("\"]");
        }
        return "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":["
                + ids
                + "],\"edges\":["
                + edges
                + "]}";
    }

    /** Everything {@code topic} holds now (read until a second passes without records). */
    public List<JsonNode> readAvailable(String topic) {
        List<JsonNode> all = new ArrayList<>();
        try (KafkaConsumer<String, String> c = reader(topic)) {
            long quietSince = System.currentTimeMillis();
            while (System.currentTimeMillis() - quietSince < 1_000) {
                List<JsonNode> batch = poll(c);
                if (!batch.isEmpty()) {
                    all.addAll(batch);
                    quietSince = System.currentTimeMillis();
                }
            }
        }
        return all;
    }

    public static List<JsonNode> poll(KafkaConsumer<String, String> c) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(100))) {
            try {
                out.add(JSON.readTree(r.value()));
            } catch (Exception e) {
                throw new IllegalStateException("unreadable record " + r.value(), e);
            }
        }
        return out;
    }

    public static double[] vector(JsonNode array) {
        if (array.isObject()) {
            return binaryVector(array);
        }
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).doubleValue();
        }
        return v;
    }

    /** {"f64": base64} or {"f32": base64}, little-endian IEEE-754, as the contract says. */
    private static double[] binaryVector(JsonNode object) {
        boolean f32 = object.has("f32");
        byte[] bytes =
                java.util.Base64.getDecoder().decode(object.get(f32 ? "f32" : "f64").asText());
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[bytes.length / (f32 ? 4 : 8)];
        for (int i = 0; i < v.length; i++) {
            v[i] = f32 ? b.getFloat() : b.getDouble();
        }
        return v;
    }

    /** A JSON array whose numbers parse back to exactly these doubles. */
    public static String array(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(Double.toString(v[i]));
        }
        return b.append(']').toString();
    }

    @Override
    public void close() {
        producer.close();
    }
}
