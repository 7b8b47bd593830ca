package io.dflink.jobs;

import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.serde.VectorEncoding;

import picocli.CommandLine.Option;

/**
 * The servers' options every algorithm shares: model dimension, consensus steps, when a round
 * closes, the last round, input bounds, the consensus timeout and the vector encoding.
 */
public class ServerOptions {

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
                    "Client updates and consensus messages more rounds ahead of their server than this"
                            + " are dead-lettered. It must cover the rounds a server completes"
                            + " between two checkpoints: a restored server re-reads the updates"
                            + " devices sent since then (default: ${DEFAULT-VALUE}).")
    int maxRoundsAhead = ServerParams.DEFAULT_MAX_ROUNDS_AHEAD;

    @Option(
            names = "--vector-encoding",
            description =
                    "How the job writes vectors: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    VectorEncoding vectorEncoding = VectorEncoding.F64;

    @Option(
            names = "--consensus-timeout-ms",
            description =
                    "Ask a neighbour that has not started a round's consensus after this long to"
                            + " skip the link for that round; 0 = wait forever (default: ${DEFAULT-VALUE}).")
    long consensusTimeoutMillis = 30_000;

    /** The model dimension as given (decentralised LoRA derives its own from the layer). */
    int dim() {
        return dim;
    }

    /** The servers' settings for {@code algorithm}, whose LoRA factors fix dim when it has them. */
    ServerParams params(
            Algorithm algorithm, RobustnessOptions robustness, ServerFdaParams serverFda) {
        return ServerParams.builder(algorithm instanceof Algorithm.Lora l ? l.lora().dim() : dim)
                .consensusSteps(consensusSteps)
                .closing(new RoundClosing(membership, clientsPerServer, roundTimeoutMillis, quorum))
                .lastRound(rounds)
                .maxBuffered(maxBuffered)
                .maxRoundsAhead(maxRoundsAhead)
                .consensusTimeoutMillis(consensusTimeoutMillis)
                .encoding(vectorEncoding)
                .algorithm(algorithm)
                .aggregation(robustness.aggregation())
                .bound(robustness.bound())
                .gossipClipRadius(robustness.gossipClipRadius)
                .serverFda(serverFda)
                .build();
    }
}
