package io.dflink.jobs;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.Topics;

import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** How every command reaches Kafka: bootstrap servers, topic prefix, extra client properties. */
public class KafkaOptions {

    @Option(
            names = "--bootstrap-servers",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers = "localhost:9092";

    @Option(
            names = "--topic-prefix",
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix = Topics.DEFAULT_PREFIX;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "Extra Kafka client property, e.g. security.protocol=SASL_SSL; repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public Map<String, String> kafkaProperties() {
        return kafkaProperties;
    }

    public Properties common() {
        return KafkaProperties.common(bootstrapServers, kafkaProperties);
    }
}
