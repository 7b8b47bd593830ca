package io.dflink.tools.fleet;

import io.dflink.clients.FederatedClient;
import io.dflink.mqtt.MqttEndpoint;
import io.dflink.mqtt.MqttTopics;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ControlEvent;
import io.dflink.records.ServerModel;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.ServerModelCodec;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SDK devices ({@link FederatedClient}s) that speak MQTT instead of Kafka, one MQTT connection
 * each, as constrained devices would: each subscribes to its server's retained model topic (and
 * control topic), trains on every model and publishes its updates (QoS 1) to its server's updates
 * topic, in JSON or the binary format. The MQTT bridge carries them to and from Kafka.
 */
public final class MqttFleet implements AutoCloseable {

    private final List<Mqtt3AsyncClient> connections = new ArrayList<>();
    private final AtomicLong updatesSent = new AtomicLong();
    private final MqttTopics topics;
    private final UpdateFormat format;
    private final VectorEncoding encoding;

    private MqttFleet(MqttTopics topics, UpdateFormat format, VectorEncoding encoding) {
        this.topics = topics;
        this.format = format;
        this.encoding = encoding;
    }

    /** Connects every device (clean sessions) and subscribes it; returns once all are ready. */
    public static MqttFleet start(
            MqttEndpoint endpoint,
            MqttTopics topics,
            Map<String, List<FederatedClient>> devices,
            UpdateFormat format,
            VectorEncoding encoding)
            throws Exception {
        MqttFleet fleet = new MqttFleet(topics, format, encoding);
        try {
            List<CompletableFuture<?>> ready = new ArrayList<>();
            for (List<FederatedClient> own : devices.values()) {
                for (FederatedClient device : own) {
                    ready.add(fleet.connect(endpoint, device));
                    if (ready.size() % 500 == 0) {
                        join(ready); // connect in waves: a broker takes a burst of thousands badly
                    }
                }
            }
            join(ready);
        } catch (Exception e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    private static void join(List<CompletableFuture<?>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        futures.clear();
    }

    private CompletableFuture<?> connect(MqttEndpoint endpoint, FederatedClient device) {
        Mqtt3AsyncClient c = endpoint.client(device.clientId());
        synchronized (connections) {
            connections.add(c);
        }
        c.publishes(MqttGlobalPublishFilter.SUBSCRIBED, p -> onPublish(c, device, p));
        return c.connectWith()
                .cleanSession(true)
                .keepAlive(60)
                .send()
                .thenCompose(
                        ack ->
                                c.subscribeWith()
                                        .addSubscription()
                                        .topicFilter(topics.model(device.serverId()))
                                        .qos(MqttQos.AT_LEAST_ONCE)
                                        .applySubscription()
                                        .addSubscription()
                                        .topicFilter(topics.control(device.serverId()))
                                        .qos(MqttQos.AT_LEAST_ONCE)
                                        .applySubscription()
                                        .send());
    }

    private void onPublish(Mqtt3AsyncClient c, FederatedClient device, Mqtt3Publish p) {
        List<ClientUpdate> updates;
        try {
            // one device's callbacks come one at a time, in order; the lock is for safety only
            synchronized (device) {
                if (p.getTopic().toString().endsWith("/model")) {
                    ServerModel model =
                            ServerModelCodec.decode(p.getPayloadAsBytes(), Integer.MAX_VALUE);
                    updates = device.onServerModel(model);
                } else {
                    ControlEvent event = ControlEventCodec.decode(p.getPayloadAsBytes());
                    updates = device.onControl(event);
                }
            }
        } catch (InvalidEventException e) {
            return; // not a record this SDK version can read; the job never writes such
        }
        for (ClientUpdate u : updates) {
            c.publishWith()
                    .topic(topics.updates(u.serverId))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(ClientUpdateCodec.encode(u, format, encoding))
                    .send();
            updatesSent.incrementAndGet();
        }
    }

    public long updatesSent() {
        return updatesSent.get();
    }

    @Override
    public void close() {
        List<CompletableFuture<?>> gone = new ArrayList<>();
        synchronized (connections) {
            for (Mqtt3AsyncClient c : connections) {
                gone.add(c.disconnect().exceptionally(e -> null));
            }
            connections.clear();
        }
        try {
            CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // devices that were never connected, or a broker already gone: nothing to hand back
        }
    }
}
