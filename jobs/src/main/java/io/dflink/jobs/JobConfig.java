package io.dflink.jobs;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.TopicSpec;
import io.dflink.operators.core.DflParams;
import io.dflink.security.ClientKeys;
import io.dflink.serde.VectorEncoding;

import java.io.Serializable;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The job's configuration: one immutable, validated object, parsed once from the command line by
 * {@link JobOptions}. Operators get plain values from it ({@link #dfl()}), never the object.
 */
public record JobConfig(
        String bootstrapServers,
        String topicPrefix,
        String groupId,
        String jobName,
        int parallelism,
        long bufferTimeoutMillis,
        short replicationFactor,
        DflParams dfl,
        int maxVectorLength,
        Map<String, String> kafkaProperties,
        Recovery recovery,
        boolean allowDisconnectedGraphs,
        ClientKeys clientKeys)
        implements Serializable {

    public JobConfig {
        require(!bootstrapServers.isBlank(), "bootstrap servers must be set");
        require(parallelism >= 1, "parallelism must be >= 1");
        require(bufferTimeoutMillis >= 0, "buffer timeout must be >= 0");
        require(replicationFactor >= 1, "replication factor must be >= 1");
        require(maxVectorLength >= dfl.dim(), "max vector length must be >= dim");
        require(recovery != null, "recovery must be set");
        kafkaProperties = Map.copyOf(new TreeMap<>(kafkaProperties));
        clientKeys = clientKeys == null ? ClientKeys.none() : clientKeys;
    }

    /** Parses and validates the job's arguments; throws with a usage message when they are bad. */
    public static JobConfig fromArgs(String... args) {
        return JobOptions.parse(args).toConfig();
    }

    /** How the job writes vectors: the servers' encoding, which their byte counts assume. */
    public VectorEncoding vectorEncoding() {
        return dfl.encoding();
    }

    public String topic(TopicSpec spec) {
        return spec.under(topicPrefix);
    }

    /** Connection properties for every Kafka client of the job and tools. */
    public Properties kafkaCommon() {
        return KafkaProperties.common(bootstrapServers, kafkaProperties);
    }

    public JobConfig withDfl(DflParams params) {
        return new JobConfig(
                bootstrapServers,
                topicPrefix,
                groupId,
                jobName,
                parallelism,
                bufferTimeoutMillis,
                replicationFactor,
                params,
                maxVectorLength,
                kafkaProperties,
                recovery,
                allowDisconnectedGraphs,
                clientKeys);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
