package io.dflink.kafka;

import java.util.Map;
import java.util.Objects;

/**
 * One topic of dflink's public contract, as declared in {@code topics.yaml}: its relative name, how
 * records are keyed, the JSON Schema of its values, its partition count and topic configuration.
 */
public record TopicSpec(
        String name,
        String key,
        String schema,
        int partitions,
        Map<String, String> config,
        String description) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1");
        }
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    /** The full topic name under a prefix such as {@code "dflink."}. */
    public String under(String prefix) {
        return prefix + name;
    }
}
