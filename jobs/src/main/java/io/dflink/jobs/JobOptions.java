package io.dflink.jobs;

import io.dflink.operators.core.DflParams;
import io.dflink.operators.core.RoundClosing;
import io.dflink.serde.VectorEncoding;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The job's command-line options: each key once, with its default and description. Shared by {@code
 * dflink run}, {@code dflink demo} and the job's {@code main} (for {@code flink run}), and the
 * source of the README's configuration table.
 */
public class JobOptions {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--group-id",
            description = "Consumer group of the job's Kafka sources (default: ${DEFAULT-VALUE}).")
    String groupId = "dflink-job";

    @Option(names = "--job-name", description = "Flink job name (default: ${DEFAULT-VALUE}).")
    String jobName = "dflink-dfl";

    @Option(
            names = "--parallelism",
            description = "Parallelism of the server operator (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--buffer-timeout-ms",
            description =
                    "Flink network buffer timeout; 1 ms keeps consensus hops fast (default: ${DEFAULT-VALUE}).")
    long bufferTimeoutMillis = 1;

    @Option(
            names = "--replication-factor",
            description =
                    "Replication factor of topics the job creates (default: ${DEFAULT-VALUE}).")
    short replicationFactor = 1;

    @Option(names = "--dim", description = "Model dimension d (default: ${DEFAULT-VALUE}).")
    int dim = 2;

    @Option(
            names = "--consensus-steps",
            description = "T_S: consensus steps per round (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 25;

    @Option(
            names = "--clients-per-server",
            description = "Distinct client updates that close a round (default: ${DEFAULT-VALUE}).")
    int clientsPerServer = 5;

    @Option(
            names = "--membership",
            description =
                    "Which clients a server waits for: COUNT (--clients-per-server distinct"
                            + " updates) or ANNOUNCED (every client that sent a join, at least"
                            + " --clients-per-server) (default: ${DEFAULT-VALUE}).")
    RoundClosing.Membership membership = RoundClosing.Membership.COUNT;

    @Option(
            names = "--round-timeout-ms",
            description =
                    "Close a round this long after it opened if --quorum clients reported; 0 = wait"
                            + " for all (reproducible) (default: ${DEFAULT-VALUE}).")
    long roundTimeoutMillis = 0;

    @Option(
            names = "--quorum",
            description =
                    "Client updates a round needs to close at its timeout (default: ${DEFAULT-VALUE}).")
    int quorum = 1;

    @Option(
            names = "--rounds",
            description =
                    "Last round: servers stop after publishing this round's model; 0 = run forever (default: ${DEFAULT-VALUE}).")
    long rounds = 0;

    @Option(
            names = "--max-buffered",
            description =
                    "Per-server bound on buffered early inputs; overflow is dead-lettered (default: ${DEFAULT-VALUE}).")
    int maxBuffered = 10_000;

    @Option(
            names = "--max-rounds-ahead",
            description =
                    "Client updates more rounds ahead than this are dead-lettered (default: ${DEFAULT-VALUE}).")
    int maxRoundsAhead = 4;

    @Option(
            names = "--max-vector-length",
            description =
                    "Vectors longer than this are dead-lettered unread (default: ${DEFAULT-VALUE}).")
    int maxVectorLength = 1_000_000;

    @Option(
            names = "--vector-encoding",
            description =
                    "How the job writes vectors: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    VectorEncoding vectorEncoding = VectorEncoding.ARRAY;

    /** Parses arguments that contain only job options. */
    public static JobOptions parse(String... args) {
        JobOptions options = new JobOptions();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return options;
    }

    public JobConfig toConfig() {
        RoundClosing closing =
                new RoundClosing(membership, clientsPerServer, roundTimeoutMillis, quorum);
        DflParams dfl =
                new DflParams(dim, consensusSteps, closing, rounds, maxBuffered, maxRoundsAhead);
        return new JobConfig(
                kafka.bootstrapServers(),
                kafka.topicPrefix(),
                groupId,
                jobName,
                parallelism,
                bufferTimeoutMillis,
                replicationFactor,
                dfl,
                maxVectorLength,
                vectorEncoding,
                kafka.kafkaProperties());
    }
}
