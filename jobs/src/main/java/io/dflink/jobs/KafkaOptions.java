package io.dflink.jobs;

import io.dflink.kafka.KafkaProbe;
import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.KafkaUnavailableException;
import io.dflink.kafka.SecurityProfile;
import io.dflink.kafka.TopicSpec;
import io.dflink.kafka.Topics;
import io.dflink.settings.Require;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How every command reaches Kafka: bootstrap servers, topic prefix, security profile and extra
 * client properties. Passwords default to environment variables, so they need not appear on a
 * command line.
 */
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
            names = "--security-profile",
            description =
                    "Transport security of every Kafka client: ${COMPLETION-CANDIDATES}"
                            + " (default: ${DEFAULT-VALUE}).")
    SecurityProfile securityProfile = SecurityProfile.PLAINTEXT;

    @Option(names = "--truststore", description = "PKCS12/JKS truststore with the broker's CA.")
    String truststore;

    @Option(
            names = "--truststore-password",
            defaultValue = "${env:DFLINK_TRUSTSTORE_PASSWORD}",
            description = "Truststore password (default: $DFLINK_TRUSTSTORE_PASSWORD).")
    String truststorePassword;

    @Option(names = "--keystore", description = "Keystore with the client certificate (MTLS).")
    String keystore;

    @Option(
            names = "--keystore-password",
            defaultValue = "${env:DFLINK_KEYSTORE_PASSWORD}",
            description = "Keystore password (default: $DFLINK_KEYSTORE_PASSWORD).")
    String keystorePassword;

    @Option(
            names = "--key-password",
            defaultValue = "${env:DFLINK_KEY_PASSWORD}",
            description = "Private key password if it differs (default: $DFLINK_KEY_PASSWORD).")
    String keyPassword;

    @Option(names = "--sasl-username", description = "SCRAM user (SASL_SSL_SCRAM).")
    String saslUsername;

    @Option(
            names = "--sasl-password",
            defaultValue = "${env:DFLINK_SASL_PASSWORD}",
            description = "SCRAM password (default: $DFLINK_SASL_PASSWORD).")
    String saslPassword;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property (overrides the profile's); repeatable.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--kafka-timeout-seconds",
            description =
                    "How long a command waits for Kafka to answer before it gives up with an error"
                            + " (default: ${DEFAULT-VALUE}).")
    int kafkaTimeoutSeconds = 15;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    /** The security profile's properties, then the explicit ones on top. */
    public Map<String, String> kafkaProperties() {
        Map<String, String> all =
                new LinkedHashMap<>(
                        securityProfile.properties(
                                new SecurityProfile.Material(
                                        truststore,
                                        truststorePassword,
                                        keystore,
                                        keystorePassword,
                                        keyPassword,
                                        saslUsername,
                                        saslPassword)));
        all.putAll(kafkaProperties);
        return all;
    }

    public Properties common() {
        return KafkaProperties.common(bootstrapServers, kafkaProperties());
    }

    /**
     * The connection properties, once Kafka has answered within {@code --kafka-timeout-seconds} and
     * has every topic of {@code needed} (under the prefix); throws {@link
     * KafkaUnavailableException} saying what failed.
     */
    public Properties connect(TopicSpec... needed) {
        Require.atLeast("kafka-timeout-seconds", kafkaTimeoutSeconds, 1);
        Properties common = common();
        List<String> topics = Arrays.stream(needed).map(t -> t.under(topicPrefix)).toList();
        KafkaProbe.check(common, Duration.ofSeconds(kafkaTimeoutSeconds), topics);
        return common;
    }
}
