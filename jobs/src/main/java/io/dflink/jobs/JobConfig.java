package io.dflink.jobs;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.TopicSpec;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.operators.functions.MetricsDetail;
import io.dflink.security.ClientKeys;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;

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
        ServerParams dfl,
        int maxVectorLength,
        Map<String, String> kafkaProperties,
        Recovery recovery,
        boolean allowDisconnectedGraphs,
        ClientKeys clientKeys,
        MetricsDetail serverMetrics)
        implements Serializable {

    public JobConfig {
        Require.that(
                !bootstrapServers.isBlank(), "bootstrap-servers", bootstrapServers, "must be set");
        Require.atLeast("parallelism", parallelism, 1);
        Require.atLeast("buffer-timeout-ms", bufferTimeoutMillis, 0);
        Require.atLeast("replication-factor", replicationFactor, 1);
        Require.that(
                maxVectorLength >= dfl.dim(),
                "max-vector-length",
                maxVectorLength,
                "must be >= the model dimension " + dfl.dim());
        Require.present("recovery", recovery);
        kafkaProperties = Map.copyOf(new TreeMap<>(kafkaProperties));
        clientKeys = clientKeys == null ? ClientKeys.none() : clientKeys;
        serverMetrics = serverMetrics == null ? MetricsDetail.EDGES : serverMetrics;
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

    public JobConfig withDfl(ServerParams params) {
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
                clientKeys,
                serverMetrics);
    }
}
