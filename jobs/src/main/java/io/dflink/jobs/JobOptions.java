package io.dflink.jobs;

import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.security.ClientKeys;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.InvalidSettingException;
import io.dflink.settings.Require;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * The job's command-line options: each key once, with its default and description. Shared by {@code
 * dflink run}, {@code dflink demo} and the job's {@code main} (for {@code flink run}), and the
 * source of the README's configuration table.
 */
public class JobOptions {

    /** The command these options are mixed into ({@code dflink run}); null when they are one. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** These options as a command of their own ({@link #parse}, the job's {@code main}). */
    @Spec CommandSpec own;

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
                    "Client updates and consensus messages more rounds ahead of their server than this"
                            + " are dead-lettered. It must cover the rounds a server completes"
                            + " between two checkpoints: a restored server re-reads the updates"
                            + " devices sent since then (default: ${DEFAULT-VALUE}).")
    int maxRoundsAhead = ServerParams.DEFAULT_MAX_ROUNDS_AHEAD;

    @Option(
            names = "--max-vector-length",
            description =
                    "Vectors longer than this are dead-lettered unread (default: ${DEFAULT-VALUE}).")
    int maxVectorLength = 1_000_000;

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
            names = "--disconnected-graphs",
            description =
                    "Topology changes that split the graph: REJECT (dead-letter them) or ALLOW"
                            + " (apply, report, let each component converge) (default: ${DEFAULT-VALUE}).")
    DisconnectedGraphs disconnectedGraphs = DisconnectedGraphs.REJECT;

    @Option(
            names = "--client-registry",
            description =
                    "JSON file binding each client to its server and HMAC key; updates must then be"
                            + " signed (header dflink-signature). Unset = no signature check.")
    Path clientRegistry;

    @Option(
            names = "--checkpoint-interval-ms",
            description = "Checkpoint interval; 0 = no checkpoints (default: ${DEFAULT-VALUE}).")
    long checkpointIntervalMillis = Recovery.defaults().checkpointIntervalMillis();

    @Option(
            names = "--checkpoint-dir",
            description =
                    "Checkpoint and savepoint directory (file:// or a Flink file system URI);"
                            + " checkpoints are kept after cancel. Unset = JobManager memory.")
    String checkpointDir;

    @Option(
            names = "--state-backend",
            description =
                    "Keyed state: HASHMAP (heap) or ROCKSDB (disk, incremental checkpoints) (default: ${DEFAULT-VALUE}).")
    Recovery.StateBackend stateBackend = Recovery.defaults().stateBackend();

    @Option(
            names = "--restart-attempts",
            description =
                    "Restarts after failures before the job fails (default: ${DEFAULT-VALUE}).")
    int restartAttempts = Recovery.defaults().restartAttempts();

    @Option(
            names = "--restart-delay-ms",
            description = "Delay before each restart (default: ${DEFAULT-VALUE}).")
    long restartDelayMillis = Recovery.defaults().restartDelayMillis();

    @Option(
            names = "--output-delivery",
            description =
                    "server-models, metrics, dead-letter: AT_LEAST_ONCE (immediate, readers dedupe by"
                            + " key) or EXACTLY_ONCE (transactions, read_committed, + one checkpoint"
                            + " interval of latency) (default: ${DEFAULT-VALUE}).")
    Recovery.OutputDelivery outputDelivery = Recovery.defaults().outputDelivery();

    @Option(
            names = "--algorithm",
            description =
                    "DFL (client averaging and T_S gossip steps; --fda may govern its client phase),"
                            + " LT_ADMM (servers as ADMM agents fed by their clients' gradients) or"
                            + " LORA (decentralised LoRA: the model is one layer's adapter factors,"
                            + " see --lora-*; --dim is then rank x (rows + cols))"
                            + " (default: ${DEFAULT-VALUE}).")
    AlgorithmChoice algorithm = AlgorithmChoice.DFL;

    @Option(
            names = "--admm-variance",
            description =
                    "LT-ADMM's gradient estimator: NONE, RESET (VR-1) or SAGA (VR-2) (default:"
                            + " ${DEFAULT-VALUE}).")
    VarianceReduction admmVariance = VarianceReduction.NONE;

    @Option(
            names = "--admm-gamma",
            description = "LT-ADMM: local step gamma (default: ${DEFAULT-VALUE}).")
    double admmGamma = AdmmParams.defaults().gamma();

    @Option(
            names = "--admm-beta",
            description = "LT-ADMM: penalty step beta (default: ${DEFAULT-VALUE}).")
    double admmBeta = AdmmParams.defaults().beta();

    @Option(names = "--admm-rho", description = "LT-ADMM: penalty rho (default: ${DEFAULT-VALUE}).")
    double admmRho = AdmmParams.defaults().rho();

    @Option(
            names = "--admm-alpha",
            description = "LT-ADMM: relaxation alpha (default: ${DEFAULT-VALUE}).")
    double admmAlpha = AdmmParams.defaults().alpha();

    @Option(
            names = "--admm-tau",
            description = "LT-ADMM: tau, local steps per round (default: ${DEFAULT-VALUE}).")
    int admmTau = AdmmParams.defaults().tau();

    @Option(
            names = "--admm-batch-size",
            description =
                    "LT-ADMM: samples per client and step; 0 = all (default: ${DEFAULT-VALUE}).")
    int admmBatchSize = 8;

    @Option(
            names = "--admm-seed",
            description = "LT-ADMM: seed of the clients' batch draws (default: ${DEFAULT-VALUE}).")
    long admmSeed = 1;

    @Option(
            names = "--lora-variant",
            description =
                    "LORA: TAD_LORA (alternate every T rounds, mix both factors), TAD_LORA_NO_JOINT,"
                            + " LORA (train and mix both), FFA_LORA (B only) or ROLORA (alternate"
                            + " every round, mix the trained factor) (default: ${DEFAULT-VALUE}).")
    LoraVariant loraVariant = LoraVariant.TAD_LORA;

    @Option(
            names = "--lora-interval",
            description =
                    "LORA: T, rounds between switches of the trained factor (B first); larger on"
                            + " sparser graphs (default: ${DEFAULT-VALUE}).")
    int loraInterval = 5;

    @Option(
            names = "--lora-link-probability",
            description =
                    "LORA: p, each link of the topology is active in a round with this"
                            + " probability, decided by a hash of (seed, round, link) at both ends;"
                            + " 1 = every link every round (default: ${DEFAULT-VALUE}).")
    double loraLinkProbability = 1.0;

    @Option(names = "--lora-rank", description = "LORA: rank r (default: ${DEFAULT-VALUE}).")
    int loraRank = 8;

    @Option(
            names = "--lora-alpha",
            description = "LORA: alpha; the update is (alpha / r) B A (default: ${DEFAULT-VALUE}).")
    double loraAlpha = 16;

    @Option(
            names = "--lora-rows",
            description = "LORA: d_out of the adapted layer (B is d_out x r); required with LORA.")
    int loraRows;

    @Option(
            names = "--lora-cols",
            description = "LORA: d_in of the adapted layer (A is r x d_in); required with LORA.")
    int loraCols;

    @Option(
            names = "--lora-seed",
            description =
                    "LORA: seed of the shared initialisation of A and of the link activation"
                            + " (default: ${DEFAULT-VALUE}).")
    long loraSeed = 1;

    /** What the servers run, as the command line names it. */
    public enum AlgorithmChoice {
        DFL,
        LT_ADMM,
        LORA
    }

    @Option(
            names = "--fda",
            description =
                    "What governs the client phase: NONE (DFL: one model per client and round) or"
                            + " FDA with SYNCHRONOUS, PERIODIC, NAIVE, LINEAR or SKETCH"
                            + " (default: ${DEFAULT-VALUE}).")
    FdaChoice fda = FdaChoice.NONE;

    @Option(
            names = "--fda-local-steps",
            description =
                    "FDA: T_C, local steps per round; a forced sync after the last one feeds the"
                            + " server consensus (default: ${DEFAULT-VALUE}).")
    int fdaLocalSteps = 50;

    @Option(
            names = "--fda-threshold",
            description =
                    "FDA: absolute threshold Theta on the variance estimate (squared parameter"
                            + " distance); overrides --fda-threshold-per-dim.")
    Double fdaThreshold;

    @Option(
            names = "--fda-threshold-per-dim",
            description =
                    "FDA: Theta = c * d, for this c, when --fda-threshold is not given"
                            + " (default: ${DEFAULT-VALUE}).")
    double fdaThresholdPerDim = DEFAULT_THRESHOLD_PER_DIM;

    @Option(
            names = "--fda-period",
            description = "PERIODIC: sync after every k local steps (default: ${DEFAULT-VALUE}).")
    int fdaPeriod = 10;

    @Option(
            names = "--fda-seed",
            description =
                    "FDA: seed of the sketch hashes and Linear FDA's first direction (default:"
                            + " ${DEFAULT-VALUE}).")
    long fdaSeed = 1;

    @Option(
            names = "--fda-sketch-width",
            description = "SKETCH: AMS sketch width W (default: ${DEFAULT-VALUE}).")
    int fdaSketchWidth = FdaParams.DEFAULT_SKETCH_WIDTH;

    @Option(
            names = "--fda-sketch-depth",
            description = "SKETCH: AMS sketch depth D (default: ${DEFAULT-VALUE}).")
    int fdaSketchDepth = FdaParams.DEFAULT_SKETCH_DEPTH;

    /**
     * The default Theta / d: Linear FDA's best bytes-to-accuracy trade-off on the digits benchmark
     * (Theta = 1 at d = 650, SGD step 0.3; docs/benchmarks.md). Theta is a squared distance, so it
     * scales with the square of the clients' step size: the FDA authors' 2.7e-5 to 4.9e-5 come from
     * their CNN runs (Adam 1e-3, Nesterov SGD 0.1).
     */
    public static final double DEFAULT_THRESHOLD_PER_DIM = 1.5e-3;

    /** The client phase: DFL's single model per round, or an FDA variant. */
    public enum FdaChoice {
        NONE,
        SYNCHRONOUS,
        PERIODIC,
        NAIVE,
        LINEAR,
        SKETCH
    }

    /** What to do with a topology change that would split the server graph. */
    public enum DisconnectedGraphs {
        REJECT,
        ALLOW
    }

    /** Parses arguments that contain only job options. */
    public static JobOptions parse(String... args) {
        JobOptions options = new JobOptions();
        new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return options;
    }

    /** How the job reaches Kafka. */
    public KafkaOptions kafka() {
        return kafka;
    }

    /**
     * Refuses options of another algorithm than the chosen one ({@code --lora-rank} with {@code
     * --algorithm DFL}): they would be ignored, and a user who gives them expects them to count.
     */
    private void rejectOptionsOfOtherAlgorithms() {
        CommandLine.ParseResult parsed = parseResult();
        if (parsed == null) {
            return;
        }
        for (CommandLine.Model.OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (name.startsWith("--admm-") && algorithm != AlgorithmChoice.LT_ADMM) {
                throw foreign(o, "--algorithm LT_ADMM", "--algorithm " + algorithm);
            }
            if (name.startsWith("--lora-") && algorithm != AlgorithmChoice.LORA) {
                throw foreign(o, "--algorithm LORA", "--algorithm " + algorithm);
            }
            if (name.startsWith("--fda-") && fda == FdaChoice.NONE) {
                throw foreign(o, "--fda (not NONE)", "no --fda");
            }
        }
    }

    private CommandLine.ParseResult parseResult() {
        CommandSpec spec = mixee != null ? mixee : own;
        return spec == null || spec.commandLine() == null
                ? null
                : spec.commandLine().getParseResult();
    }

    private static InvalidSettingException foreign(
            CommandLine.Model.OptionSpec o, String needs, String given) {
        return new InvalidSettingException(
                o.longestName().substring(2),
                null,
                "applies with " + needs + " only, and this run has " + given);
    }

    /** LT-ADMM's settings. */
    AdmmParams admmParams() {
        return new AdmmParams(
                admmGamma,
                admmBeta,
                admmRho,
                admmAlpha,
                admmTau,
                admmBatchSize,
                admmVariance,
                admmSeed);
    }

    /** Decentralised LoRA's settings. */
    LoraParams loraParams() {
        if (loraRows == 0 || loraCols == 0) {
            throw new InvalidSettingException(
                    loraRows == 0 ? "lora-rows" : "lora-cols",
                    null,
                    "is required with --algorithm LORA: give the adapted layer's shape as"
                            + " --lora-rows and --lora-cols");
        }
        return new LoraParams(
                loraVariant,
                loraInterval,
                loraLinkProbability,
                loraSeed,
                loraRank,
                loraAlpha,
                loraRows,
                loraCols);
    }

    /** FDA's settings, or null for plain DFL. */
    FdaParams fdaParams() {
        if (fda == FdaChoice.NONE) {
            return null;
        }
        if (fdaThreshold == null) {
            Require.nonNegative("fda-threshold-per-dim", fdaThresholdPerDim);
        }
        double theta = fdaThreshold != null ? fdaThreshold : fdaThresholdPerDim * dim;
        return new FdaParams(
                FdaVariant.valueOf(fda.name()),
                theta,
                fdaLocalSteps,
                fdaPeriod,
                fdaSeed,
                fdaSketchDepth,
                fdaSketchWidth);
    }

    /** The algorithm the servers run, with its settings; FDA governs only DFL's client phase. */
    private Algorithm algorithm() {
        if (fda != FdaChoice.NONE && algorithm != AlgorithmChoice.DFL) {
            throw new InvalidSettingException(
                    "fda",
                    fda,
                    "applies to --algorithm DFL only: FDA governs DFL's client phase, LT-ADMM and"
                            + " decentralised LoRA have their own");
        }
        return switch (algorithm) {
            case DFL -> new Algorithm.Dfl(fdaParams());
            case LT_ADMM -> new Algorithm.LtAdmm(admmParams());
            case LORA -> new Algorithm.Lora(loraParams());
        };
    }

    /** The validated configuration; throws {@link InvalidSettingException} naming the option. */
    public JobConfig toConfig() {
        rejectOptionsOfOtherAlgorithms();
        RoundClosing closing =
                new RoundClosing(membership, clientsPerServer, roundTimeoutMillis, quorum);
        Algorithm chosen = algorithm();
        ServerParams dfl =
                ServerParams.builder(chosen instanceof Algorithm.Lora l ? l.lora().dim() : dim)
                        .consensusSteps(consensusSteps)
                        .closing(closing)
                        .lastRound(rounds)
                        .maxBuffered(maxBuffered)
                        .maxRoundsAhead(maxRoundsAhead)
                        .consensusTimeoutMillis(consensusTimeoutMillis)
                        .encoding(vectorEncoding)
                        .algorithm(chosen)
                        .build();
        Recovery recovery =
                new Recovery(
                        checkpointIntervalMillis,
                        checkpointDir,
                        stateBackend,
                        restartAttempts,
                        restartDelayMillis,
                        outputDelivery);
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
                kafka.kafkaProperties(),
                recovery,
                disconnectedGraphs == DisconnectedGraphs.ALLOW,
                clientRegistry == null ? ClientKeys.none() : ClientKeys.load(clientRegistry));
    }
}
