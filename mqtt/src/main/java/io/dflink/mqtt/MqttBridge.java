package io.dflink.mqtt;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.Topics;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.SourceRef;
import io.dflink.serde.DeadLetterCodec;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Carries devices' MQTT traffic to and from the job's Kafka topics.
 *
 * <p>Ingress: subscribes (QoS 1, persistent session) to every server's updates topic and forwards
 * each payload, unchanged, to {@code client-updates} keyed by the server the topic names. A message
 * is acknowledged to the MQTT broker only after Kafka has acknowledged the record (acks=all,
 * idempotent producer), so an acknowledged update is never lost; one the bridge had not yet
 * acknowledged when it stopped is delivered again by the broker when it reconnects under the same
 * client id (at least once: the job drops the second copy as a duplicate). The job validates every
 * payload as it validates any Kafka record, so bad payloads reach {@code dead-letter} exactly as
 * they would from Kafka; a payload Kafka itself refuses (larger than its limit) is dead-lettered
 * here, with the MQTT topic as its source.
 *
 * <p>Egress: reads {@code server-models} and {@code control}; publishes each server's newest model
 * retained to its model topic (on start, the newest model of every server first) and control events
 * to its control topic.
 */
public final class MqttBridge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttBridge.class);

    /** What the bridge connects and how. */
    public record Settings(
            MqttEndpoint mqtt,
            MqttTopics topics,
            String clientId,
            Properties kafka,
            String kafkaTopicPrefix) {}

    private final Settings settings;
    private final Mqtt3AsyncClient mqtt;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String updatesTopic;
    private final String deadLetterTopic;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong modelsPublished = new AtomicLong();
    private final AtomicLong controlPublished = new AtomicLong();
    private final Thread egress;

    private MqttBridge(Settings s) {
        this.settings = s;
        this.updatesTopic = Topics.CLIENT_UPDATES.under(s.kafkaTopicPrefix());
        this.deadLetterTopic = Topics.DEAD_LETTER.under(s.kafkaTopicPrefix());
        Properties p = KafkaProperties.byteProducer(s.kafka());
        // many devices' updates per produce request; acks=all and idempotence stay
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 << 10));
        this.producer = new KafkaProducer<>(p);
        this.mqtt = s.mqtt().client(s.clientId());
        this.egress = new Thread(this::egressLoop, "dflink-mqtt-egress");
        egress.setDaemon(true);
    }

    /**
     * Connects to both sides and starts forwarding; fails (with the broker's answer) when the MQTT
     * broker refuses the connection.
     */
    public static MqttBridge start(Settings s, Duration connectTimeout) throws Exception {
        MqttBridge b = new MqttBridge(s);
        try {
            b.connect(connectTimeout);
        } catch (Exception e) {
            b.close();
            throw e;
        }
        b.egress.start();
        return b;
    }

    private void connect(Duration timeout) throws Exception {
        // registered before connecting: a persistent session's queued messages arrive at once
        mqtt.publishes(MqttGlobalPublishFilter.ALL, this::onDevicePublish, true);
        Mqtt3ConnAck ack;
        try {
            ack =
                    mqtt.connectWith()
                            .cleanSession(false)
                            .keepAlive(30)
                            .send()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(
                    "no MQTT connection to "
                            + settings.mqtt().url()
                            + " within "
                            + timeout.toSeconds()
                            + " s: "
                            + (cause.getMessage() == null ? cause.toString() : cause.getMessage()),
                    cause);
        }
        LOG.info(
                "MQTT bridge connected to {} as {} (session {})",
                settings.mqtt().url(),
                settings.clientId(),
                ack.isSessionPresent() ? "resumed" : "new");
        mqtt.subscribeWith()
                .topicFilter(settings.topics().allUpdates())
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onDevicePublish(Mqtt3Publish publish) {
        String topic = publish.getTopic().toString();
        String server = settings.topics().serverOfUpdates(topic);
        if (server == null || !running.get()) {
            if (server == null) {
                publish.acknowledge(); // not an updates topic: nothing of ours to keep
            }
            return; // stopping: left unacknowledged, the broker delivers it again
        }
        byte[] payload = publish.getPayloadAsBytes();
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(
                        updatesTopic, server.getBytes(StandardCharsets.UTF_8), payload);
        producer.send(
                r,
                (meta, error) -> {
                    if (error == null) {
                        forwarded.incrementAndGet();
                        publish.acknowledge();
                    } else if (error instanceof RecordTooLargeException) {
                        deadLetter(topic, server, payload, error.getMessage());
                        publish.acknowledge();
                    } else {
                        fail(error);
                    }
                });
    }

    private void deadLetter(String mqttTopic, String server, byte[] payload, String why) {
        DeadLetter d =
                DeadLetter.of(
                        RejectReason.VECTOR_TOO_LARGE,
                        "the MQTT bridge could not write the update to Kafka: " + why,
                        new SourceRef(mqttTopic, -1, -1, server, payload));
        d.original = new byte[0]; // too large for Kafka by definition: the reason says how large
        producer.send(
                new ProducerRecord<>(
                        deadLetterTopic,
                        server.getBytes(StandardCharsets.UTF_8),
                        DeadLetterCodec.encode(d)));
        deadLettered.incrementAndGet();
    }

    /**
     * Kafka could not take an update (not a bad record: the broker is gone past the producer's
     * retries). The bridge stops acknowledging and stops; unacknowledged messages are delivered
     * again to the next bridge.
     */
    private void fail(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            LOG.error(
                    "Kafka refused an update{}; the MQTT bridge stops, unacknowledged messages"
                            + " stay with the MQTT broker",
                    error instanceof RetriableException ? " after its retries" : "",
                    error);
            running.set(false);
        }
    }

    private void egressLoop() {
        Properties c = KafkaProperties.byteConsumer(settings.kafka(), "dflink-mqtt-bridge");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
        String modelsTopic = Topics.SERVER_MODELS.under(settings.kafkaTopicPrefix());
        String controlTopic = Topics.CONTROL.under(settings.kafkaTopicPrefix());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> models = partitions(consumer, modelsTopic);
            List<TopicPartition> control = partitions(consumer, controlTopic);
            List<TopicPartition> all = new ArrayList<>(models);
            all.addAll(control);
            consumer.assign(all);
            consumer.seekToBeginning(models);
            consumer.seekToEnd(control); // decisions of the past are no device's business
            catchUp(consumer, models, modelsTopic);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (r.topic().equals(modelsTopic)) {
                        publishModel(r.key(), r.value());
                    } else {
                        publishControl(r.key(), r.value());
                    }
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                fail(e);
            }
        }
    }

    /**
     * Reads the models written so far and publishes only each server's newest (a server's models
     * share one partition, so the last one read is its newest); control events read meanwhile are
     * passed on as they come.
     */
    private void catchUp(
            KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> models,
            String modelsTopic) {
        Map<TopicPartition, Long> end = consumer.endOffsets(models);
        Map<String, byte[]> newest = new LinkedHashMap<>();
        while (running.get()
                && models.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (!r.topic().equals(modelsTopic)) {
                    publishControl(r.key(), r.value());
                } else if (r.key() != null) {
                    newest.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
                }
            }
        }
        newest.forEach(
                (server, value) -> publishModel(server.getBytes(StandardCharsets.UTF_8), value));
    }

    private void publishModel(byte[] key, byte[] value) {
        String server = serverOf(key);
        if (server != null) {
            publish(settings.topics().model(server), value, true);
            modelsPublished.incrementAndGet();
        }
    }

    private void publishControl(byte[] key, byte[] value) {
        String server = serverOf(key);
        if (server != null) {
            publish(settings.topics().control(server), value, false);
            controlPublished.incrementAndGet();
        }
    }

    private static String serverOf(byte[] key) {
        if (key == null) {
            return null;
        }
        String server = new String(key, StandardCharsets.UTF_8);
        if (!MqttTopics.isTopicLevel(server)) {
            LOG.warn(
                    "server id '{}' cannot be an MQTT topic level; its models are not bridged",
                    server);
            return null;
        }
        return server;
    }

    private CompletableFuture<?> publish(String topic, byte[] payload, boolean retain) {
        return mqtt.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .payload(payload)
                .send();
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (PartitionInfo p : c.partitionsFor(topic)) {
            out.add(new TopicPartition(topic, p.partition()));
        }
        return out;
    }

    /** Updates forwarded to Kafka and acknowledged to the MQTT broker. */
    public long forwarded() {
        return forwarded.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public long modelsPublished() {
        return modelsPublished.get();
    }

    public long controlPublished() {
        return controlPublished.get();
    }

    /** Why the bridge stopped on its own, or null while it runs. */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Stops: no new message is taken, Kafka gets what was sent, the MQTT session is left for the
     * next bridge (messages not yet acknowledged stay with the broker).
     */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        egress.join(5_000);
        producer.flush();
        try {
            mqtt.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT disconnect", e);
        }
        producer.close(Duration.ofSeconds(5));
    }
}
