package io.dflink.tools.cli;

import io.dflink.mqtt.MqttEndpoint;
import io.dflink.mqtt.MqttTopics;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the MQTT broker is, how to log in, and the topic prefix devices use. */
public class MqttOptions {

    @Option(
            names = "--mqtt-url",
            description =
                    "The MQTT broker: tcp://host:1883, or ssl://host:8883 for TLS (default:"
                            + " ${DEFAULT-VALUE}).")
    String url = "tcp://127.0.0.1:1883";

    @Option(names = "--mqtt-username", description = "MQTT username (none by default).")
    String username;

    @Option(
            names = "--mqtt-password-file",
            description =
                    "A file whose first line is the MQTT password (kept off the command line);"
                            + " needs --mqtt-username.")
    Path passwordFile;

    @Option(
            names = "--mqtt-ca-file",
            description =
                    "TLS: the CA certificate(s), PEM, that signed the broker's certificate (default:"
                            + " the JVM's trust store).")
    Path caFile;

    @Option(
            names = "--mqtt-prefix",
            description =
                    "Topic prefix: devices publish to <prefix>/servers/<serverId>/updates and read"
                            + " <prefix>/servers/<serverId>/model (default: ${DEFAULT-VALUE}).")
    String prefix = MqttTopics.DEFAULT_PREFIX;

    MqttEndpoint endpoint() {
        return new MqttEndpoint(
                url,
                username,
                passwordFile == null ? null : MqttEndpoint.readPassword(passwordFile),
                caFile);
    }

    MqttTopics topics() {
        return new MqttTopics(prefix);
    }
}
