package io.dflink.clients;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.Topics;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ControlEvent;
import io.dflink.records.ServerModel;
import io.dflink.security.ClientKeys;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.ServerModelCodec;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connects {@link FederatedClient}s and {@link AsyncDevice}s to Kafka: reads {@code server-models}
 * and {@code control}, hands each model and decision to the clients of that server and publishes
 * their updates to {@code client-updates} (key = server id); asynchronous devices upload when their
 * pace says their training is done. One runtime can host one device or a whole simulated fleet; it
 * needs no Flink.
 */
public final class ClientRuntime implements AutoCloseable {

    private final String modelsTopic;
    private final String controlTopic;
    private final String updatesTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, List<FederatedClient>> clientsByServer = new HashMap<>();
    private final Map<String, List<AsyncDevice>> asyncByServer = new HashMap<>();
    private long startMillis;
    private final VectorEncoding encoding;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong updatesSent = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private ClientKeys keys = ClientKeys.none();
    private UpdateFormat format = UpdateFormat.JSON;

    public ClientRuntime(Properties kafkaCommon, String topicPrefix, VectorEncoding encoding) {
        this.modelsTopic = Topics.SERVER_MODELS.under(topicPrefix);
        this.controlTopic = Topics.CONTROL.under(topicPrefix);
        this.updatesTopic = Topics.CLIENT_UPDATES.under(topicPrefix);
        this.encoding = encoding;
        Properties c = KafkaProperties.byteConsumer(kafkaCommon, "dflink-clients");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(c);
        this.producer = new KafkaProducer<>(KafkaProperties.fleetProducer(kafkaCommon));
    }

    /**
     * Signs every update of a client listed in {@code keys} with its key (header {@value
     * ClientKeys#SIGNATURE_HEADER}), for jobs that run with a client registry.
     */
    public ClientRuntime signWith(ClientKeys keys) {
        this.keys = keys;
        return this;
    }

    /** Publishes updates in {@code format} (JSON unless told otherwise). */
    public ClientRuntime sendAs(UpdateFormat format) {
        this.format = format;
        return this;
    }

    /** An asynchronous device, paced by the wall clock from {@link #run()}'s start. */
    public ClientRuntime add(AsyncDevice device) {
        asyncByServer.computeIfAbsent(device.serverId(), k -> new ArrayList<>()).add(device);
        return this;
    }

    public ClientRuntime add(FederatedClient client) {
        clientsByServer.computeIfAbsent(client.serverId(), k -> new ArrayList<>()).add(client);
        return this;
    }

    /**
     * Follows every model from the beginning of the topic until {@link #stop()} is called, on the
     * calling thread, then closes its Kafka clients (they belong to this thread).
     */
    public void run() {
        started.set(true);
        try {
            follow();
        } finally {
            consumer.close();
            producer.close();
        }
    }

    private void follow() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(modelsTopic, controlTopic)) {
            for (PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchUp(partitions);
        startMillis = System.currentTimeMillis();
        Duration wait = Duration.ofMillis(asyncByServer.isEmpty() ? 100 : 5);
        while (running.get()) {
            ConsumerRecords<byte[], byte[]> batch = consumer.poll(wait);
            for (ConsumerRecord<byte[], byte[]> r : batch) {
                if (controlTopic.equals(r.topic())) {
                    onControlRecord(r.value());
                } else {
                    onModelRecord(r.value());
                }
            }
            boolean sent = pollAsyncDevices();
            if (!batch.isEmpty() || sent) {
                producer.flush(); // one wait per poll, not per record: the whole fleet answers at
                // once
            }
        }
    }

    /**
     * Reads the topics up to where they ended when the runtime started and hands the clients only
     * their servers' latest rounds ({@link CatchUp}).
     */
    private void catchUp(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        CatchUp history = new CatchUp();
        while (running.get() && !reached(end)) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                hold(history, r);
            }
        }
        for (List<CatchUp.Held> round : history.latestRounds().values()) {
            for (CatchUp.Held h : round) {
                if (h.control()) {
                    onControlRecord(h.value());
                } else {
                    onModelRecord(h.value());
                }
            }
        }
        producer.flush();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void hold(CatchUp history, ConsumerRecord<byte[], byte[]> r) {
        try {
            if (controlTopic.equals(r.topic())) {
                history.control(ControlEventCodec.decode(r.value()), r.value());
            } else {
                history.model(ServerModelCodec.decode(r.value(), Integer.MAX_VALUE), r.value());
            }
        } catch (InvalidEventException e) {
            // not a record this SDK can read; the live path skips it too
        }
    }

    /** Lets every asynchronous device upload what its training finished; true if any did. */
    private boolean pollAsyncDevices() {
        long now = System.currentTimeMillis() - startMillis;
        boolean sent = false;
        for (List<AsyncDevice> own : asyncByServer.values()) {
            for (AsyncDevice d : own) {
                ClientUpdate u = d.poll(now);
                if (u != null) {
                    publish(u);
                    sent = true;
                    d.poll(now); // and start again from the newest model
                }
            }
        }
        return sent;
    }

    private void onModelRecord(byte[] value) {
        ServerModel model;
        try {
            model = ServerModelCodec.decode(value, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            return; // not a model we can read; the job never writes such records
        }
        for (AsyncDevice d : asyncByServer.getOrDefault(model.serverId, List.of())) {
            d.onServerModel(model);
        }
        List<ClientUpdate> updates = new ArrayList<>();
        for (FederatedClient client : clientsByServer.getOrDefault(model.serverId, List.of())) {
            for (ClientUpdate u : client.onServerModel(model)) {
                if (u.isMembership()) {
                    publish(u);
                } else {
                    updates.add(u);
                }
            }
        }
        // joins go first: the server then knows every member before the first update arrives
        updates.forEach(this::publish);
    }

    private void onControlRecord(byte[] value) {
        ControlEvent event;
        try {
            event = ControlEventCodec.decode(value);
        } catch (InvalidEventException e) {
            return; // a command this SDK version does not know
        }
        for (FederatedClient client : clientsByServer.getOrDefault(event.serverId, List.of())) {
            client.onControl(event).forEach(this::publish);
        }
    }

    private void publish(ClientUpdate u) {
        producer.send(record(updatesTopic, u, format, encoding, keys));
        updatesSent.incrementAndGet();
    }

    /** The Kafka record of {@code u}: key = server id, its value, signature header if keyed. */
    static ProducerRecord<byte[], byte[]> record(
            String topic,
            ClientUpdate u,
            UpdateFormat format,
            VectorEncoding encoding,
            ClientKeys keys) {
        byte[] value = ClientUpdateCodec.encode(u, format, encoding);
        ProducerRecord<byte[], byte[]> r =
                new ProducerRecord<>(topic, u.serverId.getBytes(StandardCharsets.UTF_8), value);
        ClientKeys.Entry entry = keys.entry(u.clientId);
        if (entry != null) {
            r.headers().add(ClientKeys.SIGNATURE_HEADER, ClientKeys.sign(entry.key(), value));
        }
        return r;
    }

    public long updatesSent() {
        return updatesSent.get();
    }

    public void stop() {
        running.set(false);
    }

    /** Stops {@link #run()}; closes the Kafka clients here if it never ran. */
    @Override
    public void close() {
        stop();
        if (started.compareAndSet(false, true)) {
            consumer.close();
            producer.close();
        }
    }
}
