package io.dflink.jobs;

import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
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

    @Option(
            names = "--aggregator",
            description =
                    "How a DFL server combines its clients' models: MEAN (weighted by sample count),"
                            + " MEDIAN (coordinate-wise), TRIMMED_MEAN (--trim-fraction),"
                            + " MULTI_KRUM (--krum-byzantine, --krum-selected) or CENTERED_CLIPPING"
                            + " (--clip-radius, --clip-iterations, from the server's model)"
                            + " (default: ${DEFAULT-VALUE}).")
    AggregatorChoice aggregator = AggregatorChoice.MEAN;

    @Option(
            names = "--trim-fraction",
            description =
                    "TRIMMED_MEAN: beta, the fraction of values dropped per side and coordinate"
                            + " (default: ${DEFAULT-VALUE}).")
    double trimFraction = 0.1;

    @Option(
            names = "--krum-byzantine",
            description =
                    "MULTI_KRUM: f, the arbitrary models it tolerates; a round needs > 2f + 2"
                            + " (default: ${DEFAULT-VALUE}).")
    int krumByzantine = 1;

    @Option(
            names = "--krum-selected",
            description =
                    "MULTI_KRUM: m, the models it averages; 0 = all but f (default: ${DEFAULT-VALUE}).")
    int krumSelected = 0;

    @Option(
            names = "--clip-radius",
            description =
                    "CENTERED_CLIPPING: tau, how far one model may pull per iteration (default:"
                            + " ${DEFAULT-VALUE}).")
    double clipRadius = 1.0;

    @Option(
            names = "--clip-iterations",
            description = "CENTERED_CLIPPING: iterations (default: ${DEFAULT-VALUE}).")
    int clipIterations = 3;

    /** The client averaging rules, as the command line names them. */
    public enum AggregatorChoice {
        MEAN,
        MEDIAN,
        TRIMMED_MEAN,
        MULTI_KRUM,
        CENTERED_CLIPPING
    }

    /** The chosen client averaging rule. */
    Aggregation aggregation() {
        return switch (aggregator) {
            case MEAN -> new Aggregation.Mean();
            case MEDIAN -> new Aggregation.Median();
            case TRIMMED_MEAN -> new Aggregation.TrimmedMean(trimFraction);
            case MULTI_KRUM -> new Aggregation.MultiKrum(krumByzantine, krumSelected);
            case CENTERED_CLIPPING -> new Aggregation.CenteredClipping(clipRadius, clipIterations);
        };
    }

    /** The model dimension as given (decentralised LoRA derives its own from the layer). */
    int dim() {
        return dim;
    }

    /** The servers' settings for {@code algorithm}, whose LoRA factors fix dim when it has them. */
    ServerParams params(Algorithm algorithm) {
        return ServerParams.builder(algorithm instanceof Algorithm.Lora l ? l.lora().dim() : dim)
                .consensusSteps(consensusSteps)
                .closing(new RoundClosing(membership, clientsPerServer, roundTimeoutMillis, quorum))
                .lastRound(rounds)
                .maxBuffered(maxBuffered)
                .maxRoundsAhead(maxRoundsAhead)
                .consensusTimeoutMillis(consensusTimeoutMillis)
                .encoding(vectorEncoding)
                .algorithm(algorithm)
                .aggregation(aggregation())
                .build();
    }
}
