package io.dflink.jobs;

import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.operators.core.serverfda.ServerSync;
import io.dflink.operators.functions.MetricsDetail;
import io.dflink.security.ClientKeys;
import io.dflink.settings.InvalidSettingException;

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

    @Mixin ServerOptions server = new ServerOptions();

    @Mixin RobustnessOptions robustness = new RobustnessOptions();

    @Mixin RecoveryOptions recovery = new RecoveryOptions();

    @Mixin FdaOptions fda = new FdaOptions();

    @Mixin ServerSyncOptions serverSync = new ServerSyncOptions();

    @Mixin AsyncOptions async = new AsyncOptions();

    @Mixin AdmmOptions admm = new AdmmOptions();

    @Mixin LoraOptions lora = new LoraOptions();

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

    @Option(
            names = "--max-vector-length",
            description =
                    "Vectors longer than this are dead-lettered unread (default: ${DEFAULT-VALUE}).")
    int maxVectorLength = 1_000_000;

    @Option(
            names = "--disconnected-graphs",
            description =
                    "Topology changes that split the graph: REJECT (dead-letter them) or ALLOW"
                            + " (apply, report, let each component converge) (default: ${DEFAULT-VALUE}).")
    DisconnectedGraphs disconnectedGraphs = DisconnectedGraphs.REJECT;

    @Option(
            names = "--server-metrics",
            description =
                    "Flink metrics of the server operator: EDGES (per server and per outgoing edge),"
                            + " SERVERS (per server: for large graphs) or NONE (default: ${DEFAULT-VALUE}).")
    MetricsDetail serverMetrics = MetricsDetail.EDGES;

    @Option(
            names = "--client-registry",
            description =
                    "JSON file binding each client to its server and HMAC key; updates must then be"
                            + " signed (header dflink-signature). Unset = no signature check.")
    Path clientRegistry;

    @Option(
            names = "--algorithm",
            description =
                    "DFL (client averaging and T_S gossip steps; --fda may govern its client phase),"
                            + " LT_ADMM (servers as ADMM agents fed by their clients' gradients) or"
                            + " LORA (decentralised LoRA: the model is one layer's adapter factors,"
                            + " see --lora-*; --dim is then rank x (rows + cols))"
                            + " (default: ${DEFAULT-VALUE}).")
    AlgorithmChoice algorithm = AlgorithmChoice.DFL;

    /** What the servers run, as the command line names it. */
    public enum AlgorithmChoice {
        DFL,
        LT_ADMM,
        LORA
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
            if (name.startsWith("--fda-") && fda.choice() == FdaOptions.FdaChoice.NONE) {
                throw foreign(o, "--fda (not NONE)", "no --fda");
            }
            if (serverSync.isForeign(name)) {
                throw foreign(
                        o, "--server-sync " + modeOf(name), "--server-sync " + serverSync.sync);
            }
            if (name.startsWith("--async-") && !async.isAsync()) {
                throw foreign(o, "--client-phase ASYNC", "--client-phase SYNC");
            }
        }
    }

    /**
     * Server-tier FDA's settings. VARIANCE needs every link in every round (its flood must reach
     * every server), so the link-skip timeout's default does not apply to it; one given explicitly
     * is refused by {@link ServerParams}.
     */
    private ServerFdaParams noSkipsUnderVariance() {
        ServerFdaParams p = serverSync.params();
        CommandLine.ParseResult parsed = parseResult();
        boolean explicit = parsed != null && parsed.hasMatchedOption("--consensus-timeout-ms");
        if (p.sync() == ServerSync.VARIANCE && !explicit) {
            server.consensusTimeoutMillis = 0;
        }
        return p;
    }

    private static String modeOf(String serverSyncOption) {
        return serverSyncOption.equals("--server-sync-period") ? "PERIODIC" : "VARIANCE";
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

    /** The algorithm the servers run, with its settings; FDA governs only DFL's client phase. */
    private Algorithm algorithm() {
        if (fda.choice() != FdaOptions.FdaChoice.NONE && algorithm != AlgorithmChoice.DFL) {
            throw new InvalidSettingException(
                    "fda",
                    fda.choice(),
                    "applies to --algorithm DFL only: FDA governs DFL's client phase, LT-ADMM and"
                            + " decentralised LoRA have their own");
        }
        if (async.isAsync()) {
            if (algorithm != AlgorithmChoice.DFL || fda.choice() != FdaOptions.FdaChoice.NONE) {
                throw new InvalidSettingException(
                        "client-phase",
                        "ASYNC",
                        "applies to --algorithm DFL without --fda: FDA's lock-step drift"
                                + " monitoring, LT-ADMM's gradient steps and LoRA's factor"
                                + " schedule need rounds");
            }
            return new Algorithm.AsyncDfl(async.params());
        }
        return switch (algorithm) {
            case DFL -> new Algorithm.Dfl(fda.params(server.dim()));
            case LT_ADMM -> new Algorithm.LtAdmm(admm.params());
            case LORA -> new Algorithm.Lora(lora.params());
        };
    }

    /** The validated configuration; throws {@link InvalidSettingException} naming the option. */
    public JobConfig toConfig() {
        rejectOptionsOfOtherAlgorithms();
        ServerParams dfl = server.params(algorithm(), robustness, noSkipsUnderVariance());
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
                recovery.recovery(),
                disconnectedGraphs == DisconnectedGraphs.ALLOW,
                clientRegistry == null ? ClientKeys.none() : ClientKeys.load(clientRegistry),
                serverMetrics);
    }
}
