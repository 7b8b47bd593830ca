package io.dflink.mqtt;

import io.dflink.settings.Require;

/**
 * The MQTT topic layout devices speak (part of the public contract, kafka-config/README.md "Devices
 * over MQTT"), under a prefix ({@value #DEFAULT_PREFIX} unless configured):
 *
 * <ul>
 *   <li>{@code <prefix>/servers/<serverId>/updates}: device to server, QoS 1; the payload is a
 *       {@code client-updates} value (JSON or binary), forwarded to Kafka keyed by {@code
 *       serverId};
 *   <li>{@code <prefix>/servers/<serverId>/model}: server to devices, QoS 1, retained; the newest
 *       {@code server-models} value of that server, so a device that connects late has it at once;
 *   <li>{@code <prefix>/servers/<serverId>/control}: server to devices, QoS 1; FDA's {@code
 *       control} events.
 * </ul>
 */
public record MqttTopics(String prefix) {

    public static final String DEFAULT_PREFIX = "dflink";

    public MqttTopics {
        Require.that(
                prefix != null && !prefix.isEmpty() && validLevels(prefix),
                "mqtt-prefix",
                prefix,
                "must be a non-empty MQTT topic without wildcards (+, #), empty levels or a"
                        + " trailing /");
    }

    public static MqttTopics defaults() {
        return new MqttTopics(DEFAULT_PREFIX);
    }

    public String updates(String serverId) {
        return server(serverId) + "/updates";
    }

    public String model(String serverId) {
        return server(serverId) + "/model";
    }

    public String control(String serverId) {
        return server(serverId) + "/control";
    }

    /** The filter the bridge subscribes to: every server's updates. */
    public String allUpdates() {
        return prefix + "/servers/+/updates";
    }

    /** Every server's model topic (for watching). */
    public String allModels() {
        return prefix + "/servers/+/model";
    }

    /** The server an updates topic addresses, or null when {@code topic} is not one. */
    public String serverOfUpdates(String topic) {
        String head = prefix + "/servers/";
        String tail = "/updates";
        if (!topic.startsWith(head) || !topic.endsWith(tail)) {
            return null;
        }
        String server = topic.substring(head.length(), topic.length() - tail.length());
        return server.isEmpty() || server.indexOf('/') >= 0 ? null : server;
    }

    /** Whether {@code serverId} can be one level of a topic (no '/', '+', '#'). */
    public static boolean isTopicLevel(String serverId) {
        return !serverId.isEmpty()
                && serverId.indexOf('/') < 0
                && serverId.indexOf('+') < 0
                && serverId.indexOf('#') < 0;
    }

    private String server(String serverId) {
        if (!isTopicLevel(serverId)) {
            throw new IllegalArgumentException(
                    "server id '" + serverId + "' cannot be an MQTT topic level");
        }
        return prefix + "/servers/" + serverId;
    }

    private static boolean validLevels(String prefix) {
        if (prefix.endsWith("/") || prefix.contains("//") || prefix.startsWith("/")) {
            return false;
        }
        return prefix.indexOf('+') < 0 && prefix.indexOf('#') < 0;
    }
}
