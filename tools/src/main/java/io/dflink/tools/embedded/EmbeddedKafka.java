package io.dflink.tools.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node KRaft Kafka broker (combined broker + controller) inside this JVM, on loopback
 * and ephemeral ports, with its data in a temporary directory that {@link #close()} deletes. Used
 * by the embedded demo and the Kafka integration tests; no Docker needed.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path dir;
    private final Properties config;
    private final Map<String, String> listeners;
    private KafkaRaftServer server;

    private EmbeddedKafka(
            Path dir, Properties config, KafkaRaftServer server, Map<String, String> listeners) {
        this.dir = dir;
        this.config = config;
        this.server = server;
        this.listeners = listeners;
    }

    /** Formats storage, starts the broker on an ephemeral port and waits until it answers. */
    public static EmbeddedKafka start() {
        return start(0);
    }

    /** As {@link #start()}, on the given client port (0 = ephemeral). */
    public static EmbeddedKafka start(int clientPort) {
        return start(clientPort, null);
    }

    /**
     * Key material for the secured listeners: an {@code SSL} listener that requires a client
     * certificate signed by the truststore's CA (mTLS), and a {@code SASL_SSL} listener with one
     * SCRAM-SHA-512 user. Both use the broker certificate in {@code keystore} (PKCS12).
     */
    public record Tls(
            Path keystore,
            Path truststore,
            String password,
            String scramUser,
            String scramPassword) {}

    /** A broker with PLAINTEXT, mTLS ({@code SSL}) and SCRAM ({@code SASL_SSL}) listeners. */
    public static EmbeddedKafka startWithTls(Tls tls) {
        return start(0, tls);
    }

    private static EmbeddedKafka start(int clientPort, Tls tls) {
        try {
            Path dir = Files.createTempDirectory("dflink-kafka-");
            int port = clientPort == 0 ? freePort() : clientPort;
            int controllerPort = freePort();
            Properties p = brokerProperties(dir, port, controllerPort);
            List<String> formatArgs = new ArrayList<>();
            Map<String, String> listeners = new LinkedHashMap<>();
            listeners.put("PLAINTEXT", "127.0.0.1:" + port);
            if (tls != null) {
                listeners.put("SSL", "127.0.0.1:" + freePort());
                listeners.put("SASL_SSL", "127.0.0.1:" + freePort());
                secure(p, tls, listeners, controllerPort);
                formatArgs.addAll(
                        List.of(
                                "--add-scram",
                                "SCRAM-SHA-512=[name="
                                        + tls.scramUser()
                                        + ",password="
                                        + tls.scramPassword()
                                        + "]"));
            }
            format(dir, p, formatArgs);
            KafkaRaftServer server =
                    new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, p, server, listeners);
            kafka.awaitReady();
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
        }
    }

    private static void secure(
            Properties p, Tls tls, Map<String, String> listeners, int controllerPort) {
        StringBuilder l = new StringBuilder();
        StringBuilder advertised = new StringBuilder();
        for (Map.Entry<String, String> e : listeners.entrySet()) {
            l.append(e.getKey()).append("://").append(e.getValue()).append(',');
            advertised.append(advertised.length() == 0 ? "" : ",");
            advertised.append(e.getKey()).append("://").append(e.getValue());
        }
        p.put("listeners", l + "CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", advertised.toString());
        p.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", tls.keystore().toString());
        p.put("ssl.keystore.password", tls.password());
        p.put("ssl.key.password", tls.password());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.truststore().toString());
        p.put("ssl.truststore.password", tls.password());
        p.put("listener.name.ssl.ssl.client.auth", "required");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }

    /** The PLAINTEXT listener's address. */
    public String bootstrapServers() {
        return listeners.get("PLAINTEXT");
    }

    /** The address of listener {@code name}: PLAINTEXT, or SSL / SASL_SSL with TLS. */
    public String bootstrapServers(String name) {
        return listeners.get(name);
    }

    /**
     * Stops the broker, leaves it down for {@code downMillis}, and starts it again on the same
     * ports and data: what a broker restart looks like to the job and the fleet.
     */
    public void bounce(long downMillis) throws InterruptedException {
        server.shutdown();
        server.awaitShutdown();
        Thread.sleep(downMillis);
        server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    private static Properties brokerProperties(Path dir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(8 << 20));
        p.put("num.partitions", "2");
        return p;
    }

    private static void format(Path dir, Properties p, List<String> extraArgs) throws IOException {
        Path file = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "dflink embedded broker");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int rc =
                StorageTool.execute(
                        args(file, extraArgs), new PrintStream(log, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + log);
        }
    }

    private static String[] args(Path config, List<String> extra) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "format",
                                "-t",
                                Uuid.randomUuid().toString(),
                                "-c",
                                config.toString()));
        a.addAll(extra);
        return a.toArray(String[]::new);
    }

    private void awaitReady() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka broker did not become ready", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless; the broker itself is stopped
        }
    }
}
