package io.dflink.tools.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.mqtt.MqttBridge;
import io.dflink.mqtt.MqttEndpoint;
import io.dflink.mqtt.MqttTopics;
import io.dflink.records.ServerModel;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.ServerModelCodec;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.embedded.EmbeddedMqtt;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.MqttFleet;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The MQTT path end to end: idle SDK devices, one MQTT connection each, answer every model they
 * receive on their server's retained model topic with an update on its updates topic (QoS 1); the
 * bridge forwards them to Kafka, the job aggregates them (no consensus steps: the fan-in is what is
 * measured) and the bridge publishes the next model back on MQTT. An MQTT watcher times each
 * model's arrival: a server's round (from model r to model r + 1, as devices see them) is the
 * latency of the whole loop devices -> broker -> bridge -> Kafka -> job -> Kafka -> bridge ->
 * broker -> devices. The MQTT broker is the one given (e.g. Mosquitto), or an in-process one.
 */
public final class MqttBenchmark {

    /** The run's parameters; {@code mqtt} null = the in-process broker. */
    public record Settings(
            int devices,
            int servers,
            int dim,
            int rounds,
            UpdateFormat format,
            VectorEncoding encoding,
            int parallelism,
            MqttEndpoint mqtt) {
        public Settings {
            BenchSetup.checkFleet(devices, servers, dim, parallelism);
            Require.atLeast("rounds", rounds, 3);
        }
    }

    /** What the command reports. */
    public record Result(
            Settings settings,
            String broker,
            double eventsPerSecond,
            LatencyBenchmark.Percentiles roundMillis,
            long updatesSent,
            long forwarded) {}

    private MqttBenchmark() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        int perServer = s.devices() / s.servers();
        List<String> ids = BenchSetup.serverIds(s.servers());
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedMqtt embedded = s.mqtt() == null ? EmbeddedMqtt.start() : null) {
            MqttEndpoint endpoint = s.mqtt() == null ? embedded.endpoint() : s.mqtt();
            MqttTopics topics = new MqttTopics("bench/" + System.nanoTime());
            Properties common = BenchSetup.kafka(kafka.bootstrapServers());
            String prefix = "mqtt-bench.";
            BenchSetup.topicsWithGraph(
                    common, prefix, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
            JobConfig config =
                    BenchSetup.job(
                            kafka.bootstrapServers(),
                            prefix,
                            "mqtt-bench",
                            s.parallelism(),
                            s.encoding(),
                            s.dim(),
                            "--consensus-steps",
                            "0",
                            "--clients-per-server",
                            String.valueOf(perServer),
                            "--rounds",
                            String.valueOf(s.rounds()),
                            "--max-buffered",
                            String.valueOf(4 * perServer + 100));
            Map<String, Map<Long, Long>> arrivals = new ConcurrentHashMap<>();
            Mqtt3AsyncClient watcher = watch(endpoint, topics, arrivals);
            out.printf(
                    "%d MQTT devices on %s connecting ...%n",
                    perServer * s.servers(), endpoint.url());
            try (EmbeddedJob job = EmbeddedJob.start(config);
                    MqttBridge bridge =
                            MqttBridge.start(
                                    new MqttBridge.Settings(
                                            endpoint,
                                            topics,
                                            "dflink-bench-bridge",
                                            common,
                                            prefix),
                                    java.time.Duration.ofSeconds(30));
                    MqttFleet fleet =
                            MqttFleet.start(
                                    endpoint,
                                    topics,
                                    BenchSetup.idleDevices(ids, perServer),
                                    s.format(),
                                    s.encoding())) {
                out.println("devices connected; rounds:");
                long deadline = System.currentTimeMillis() + 600_000;
                for (int r = 1; r <= s.rounds(); r++) {
                    while (!allArrived(arrivals, ids, r)) {
                        if (System.currentTimeMillis() > deadline) {
                            throw new IllegalStateException(
                                    "round " + r + " did not arrive over MQTT in 10 minutes");
                        }
                        Thread.sleep(5);
                    }
                    out.printf("round %3d/%d back on MQTT for every server%n", r, s.rounds());
                }
                watcher.disconnect().get(10, TimeUnit.SECONDS);
                Result result = result(s, endpoint, arrivals, ids, perServer, fleet, bridge);
                out.printf(
                        "%d MQTT devices, %d servers, d = %d, %s/%s via %s: %.0f events/s; a"
                                + " server's round over MQTT p50 %.0f ms, p95 %.0f ms (%d rounds)%n",
                        perServer * s.servers(),
                        s.servers(),
                        s.dim(),
                        s.format(),
                        s.encoding(),
                        result.broker(),
                        result.eventsPerSecond(),
                        result.roundMillis().p50(),
                        result.roundMillis().p95(),
                        result.roundMillis().samples());
                return result;
            }
        }
    }

    /** Subscribes to every server's model topic and notes when each (server, round) arrives. */
    private static Mqtt3AsyncClient watch(
            MqttEndpoint endpoint, MqttTopics topics, Map<String, Map<Long, Long>> arrivals)
            throws Exception {
        Mqtt3AsyncClient c = endpoint.client("dflink-bench-watcher");
        c.connect().get(30, TimeUnit.SECONDS);
        c.subscribeWith()
                .topicFilter(topics.allModels())
                .qos(MqttQos.AT_MOST_ONCE)
                .callback(
                        p -> {
                            long now = System.nanoTime();
                            try {
                                ServerModel m =
                                        ServerModelCodec.decode(
                                                p.getPayloadAsBytes(), Integer.MAX_VALUE);
                                arrivals.computeIfAbsent(m.serverId, k -> new ConcurrentHashMap<>())
                                        .putIfAbsent(m.round, now);
                            } catch (InvalidEventException e) {
                                // the job writes only valid models
                            }
                        })
                .send()
                .get(30, TimeUnit.SECONDS);
        return c;
    }

    private static boolean allArrived(
            Map<String, Map<Long, Long>> arrivals, List<String> ids, long round) {
        for (String s : ids) {
            Map<Long, Long> byRound = arrivals.get(s);
            if (byRound == null || !byRound.containsKey(round)) {
                return false;
            }
        }
        return true;
    }

    private static Result result(
            Settings s,
            MqttEndpoint endpoint,
            Map<String, Map<Long, Long>> arrivals,
            List<String> ids,
            int perServer,
            MqttFleet fleet,
            MqttBridge bridge) {
        List<Double> rounds = new ArrayList<>();
        long firstDone = Long.MIN_VALUE;
        long lastDone = Long.MIN_VALUE;
        for (String server : ids) {
            Map<Long, Long> t = arrivals.get(server);
            // round 1 includes the devices' first model and the JIT: left out of the figures
            for (long r = 2; r <= s.rounds(); r++) {
                rounds.add((t.get(r) - t.get(r - 1)) / 1e6);
            }
            firstDone = Math.max(firstDone, t.get(1L));
            lastDone = Math.max(lastDone, t.get((long) s.rounds()));
        }
        double events = (double) perServer * s.servers() * (s.rounds() - 1);
        return new Result(
                s,
                s.mqtt() == null ? "in-process Moquette" : endpoint.url(),
                events / ((lastDone - firstDone) / 1e9),
                LatencyBenchmark.Percentiles.of(rounds),
                fleet.updatesSent(),
                bridge.forwarded());
    }
}
