package io.dflink.tools.embedded;

import io.dflink.mqtt.MqttEndpoint;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;

/**
 * A real MQTT 3.1.1 broker (Moquette) inside this JVM, on loopback and an ephemeral port, sessions
 * and retained messages in memory: the embedded default of {@code dflink demo --mqtt} and of the
 * MQTT tests. Production runs a broker of its own (Mosquitto, in docker-compose).
 */
public final class EmbeddedMqtt implements AutoCloseable {

    private final Server server;
    private final int port;
    private final Path dir;

    private EmbeddedMqtt(Server server, int port, Path dir) {
        this.server = server;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a broker on 127.0.0.1 and an ephemeral port; anonymous clients allowed. */
    public static EmbeddedMqtt start() {
        int port = freePort();
        Path dir;
        try {
            dir = Files.createTempDirectory("dflink-mqtt-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = new Properties();
        p.setProperty("data_path", dir.toString()); // its instance id file; nothing else
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("allow_anonymous", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("websocket_port", "disabled");
        // a model of 10^6 f64 values is 10.7 MB of base64 JSON; Moquette's default is 8 KiB
        p.setProperty("netty.mqtt.message_size", String.valueOf(64 << 20));
        p.setProperty("session_queue_size", String.valueOf(1 << 16));
        p.setProperty("immediate_buffer_flush", "true");
        Server server = new Server();
        try {
            server.startServer(new MemoryConfig(p));
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded MQTT broker did not start", e);
        }
        return new EmbeddedMqtt(server, port, dir);
    }

    public MqttEndpoint endpoint() {
        return MqttEndpoint.plain("127.0.0.1", port);
    }

    @Override
    public void close() {
        server.stopServer();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a run for
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
