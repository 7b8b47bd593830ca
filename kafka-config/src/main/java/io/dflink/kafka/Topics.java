package io.dflink.kafka;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topic registry, loaded once from {@code topics.yaml} on the classpath. Nothing outside this
 * module spells a topic name; callers use these constants and {@link TopicSpec#under(String)}.
 */
public final class Topics {

    /** The prefix used when none is configured. */
    public static final String DEFAULT_PREFIX = "dflink.";

    private static final Map<String, TopicSpec> ALL = load();

    public static final TopicSpec CLIENT_UPDATES = byName("client-updates");
    public static final TopicSpec TOPOLOGY = byName("topology");
    public static final TopicSpec CONSENSUS = byName("consensus");
    public static final TopicSpec SERVER_MODELS = byName("server-models");
    public static final TopicSpec CONTROL = byName("control");
    public static final TopicSpec METRICS = byName("metrics");
    public static final TopicSpec DEAD_LETTER = byName("dead-letter");

    private Topics() {}

    /** Every topic, in the order of {@code topics.yaml}. */
    public static List<TopicSpec> all() {
        return List.copyOf(ALL.values());
    }

    public static TopicSpec byName(String name) {
        TopicSpec spec = ALL.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no topic '" + name + "' in topics.yaml");
        }
        return spec;
    }

    private static Map<String, TopicSpec> load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream in = Topics.class.getResourceAsStream("/topics.yaml")) {
            if (in == null) {
                throw new IllegalStateException("topics.yaml is missing from the classpath");
            }
            List<TopicSpec> specs = yaml.readValue(in, new TypeReference<List<TopicSpec>>() {});
            Map<String, TopicSpec> byName = new LinkedHashMap<>();
            for (TopicSpec spec : specs) {
                if (byName.put(spec.name(), spec) != null) {
                    throw new IllegalStateException("topic declared twice: " + spec.name());
                }
            }
            return byName;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topics.yaml", e);
        }
    }
}
