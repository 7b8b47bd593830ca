package io.dflink.tools.demo;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraMixing;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.records.TopologyEvent;
import io.dflink.records.Traffic;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.LowRankScenario;
import io.dflink.tools.fleet.TopologyPublisher;
import io.dflink.tools.report.LinePlot;
import io.dflink.tools.report.RunObserver;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The embedded end-to-end run of decentralised LoRA: an in-process broker, the job in a MiniCluster
 * with {@code --algorithm LORA}, a ring of servers whose links are active with probability p per
 * round, and a fleet of SDK devices adapting a frozen layer on the {@link LowRankScenario} (whose
 * correction dW* is known). Prints per round the servers' mean relative error ||(alpha/r) B_i A_i -
 * dW*|| / ||dW*||, the cross term and the disagreement of A and B, as read from the topics.
 */
public final class LoraDemoRunner {

    /** What the LoRA demo runs. */
    public record Settings(
            LowRankScenario scenario,
            LowRankScenario.Training training,
            LoraVariant variant,
            int interval,
            double linkProbability,
            long rounds,
            int parallelism) {}

    /** One round as the observer saw it. */
    public record Round(
            long round,
            double meanError,
            double crossTerm,
            double disagreementA,
            double disagreementB) {}

    /** The run: its rounds and its communication by kind. */
    public record Result(
            Settings settings,
            List<Round> rounds,
            Map<String, Traffic> communication,
            double seconds) {}

    private static final double ALPHA = 4;

    private final Settings settings;
    private final PrintStream out;
    private final Duration timeout;

    public LoraDemoRunner(Settings settings, PrintStream out, Duration timeout) {
        this.settings = settings;
        this.out = out;
        this.timeout = timeout;
    }

    public Result run() throws Exception {
        LowRankScenario scenario = settings.scenario();
        long start = System.nanoTime();
        out.printf("starting an in-process Kafka broker and a Flink MiniCluster ...%n");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = jobConfig(kafka.bootstrapServers());
            LoraParams lora = config.dfl().lora();
            try (EmbeddedJob job = EmbeddedJob.start(config);
                    RunObserver observer =
                            new RunObserver(config.kafkaCommon(), config.topicPrefix())) {
                List<String> servers = scenario.serverIds();
                TopologyPublisher.publish(
                        config.kafkaCommon(),
                        config.topicPrefix(),
                        TopologyEvent.graph(
                                0,
                                servers,
                                GraphShapes.edges(GraphShapes.Shape.RING, servers, 0, 0)));
                out.printf(
                        "%s on a ring of %d servers, links active with p = %.2f; %d devices"
                                + " adapting a frozen %d x %d layer (rank-%d correction)%n",
                        lora.variant(),
                        servers.size(),
                        lora.linkProbability(),
                        servers.size() * scenario.clientsPerServer(),
                        scenario.rows(),
                        scenario.cols(),
                        scenario.rank());
                try (Fleet fleet =
                        Fleet.start(
                                config.kafkaCommon(),
                                config.topicPrefix(),
                                scenario.devices(settings.training()),
                                Fleet.Publishing.json(config.vectorEncoding()))) {
                    List<Round> rounds = follow(observer, servers, lora, start);
                    return new Result(
                            settings,
                            rounds,
                            observer.communication(),
                            (System.nanoTime() - start) / 1e9);
                }
            }
        }
    }

    private JobConfig jobConfig(String bootstrap) {
        LowRankScenario s = settings.scenario();
        return JobOptions.parse(
                        "--bootstrap-servers", bootstrap,
                        "--job-name", "dflink-lora-demo",
                        "--parallelism", String.valueOf(settings.parallelism()),
                        "--vector-encoding", "F32",
                        "--clients-per-server", String.valueOf(s.clientsPerServer()),
                        "--rounds", String.valueOf(settings.rounds()),
                        "--algorithm", "LORA",
                        "--lora-variant", settings.variant().name(),
                        "--lora-interval", String.valueOf(settings.interval()),
                        "--lora-link-probability", String.valueOf(settings.linkProbability()),
                        "--lora-rank", String.valueOf(s.rank()),
                        "--lora-alpha", String.valueOf(ALPHA),
                        "--lora-rows", String.valueOf(s.rows()),
                        "--lora-cols", String.valueOf(s.cols()))
                .toConfig();
    }

    private List<Round> follow(
            RunObserver observer, List<String> servers, LoraParams lora, long start)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Round> rounds = new ArrayList<>();
        while (rounds.size() <= settings.rounds()) {
            long reached = observer.roundReachedByAll(servers);
            while (rounds.size() <= reached && rounds.size() <= settings.rounds()) {
                Round r = summarise(rounds.size(), observer.modelsAt(rounds.size()), lora);
                rounds.add(r);
                out.printf(
                        "round %3d/%d  mean |BA - dW*|/|dW*| %.4f  ||C_t|| %.2e  disagreement A"
                                + " %.2e  B %.2e  %6.1f s%n",
                        r.round(),
                        settings.rounds(),
                        r.meanError(),
                        r.crossTerm(),
                        r.disagreementA(),
                        r.disagreementB(),
                        (System.nanoTime() - start) / 1e9);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the run did not reach round " + settings.rounds() + " within " + timeout);
            }
            Thread.sleep(20);
        }
        return rounds;
    }

    private Round summarise(long round, Map<String, double[]> models, LoraParams lora) {
        List<LoraFactors> factors = new ArrayList<>();
        double error = 0;
        for (double[] v : models.values()) {
            LoraFactors f = lora.factors(v);
            factors.add(f);
            error += settings.scenario().relativeError(f, lora.scale());
        }
        return new Round(
                round,
                error / factors.size(),
                LoraMixing.frobenius(LoraMixing.crossTerm(factors)),
                LoraMixing.disagreement(factors, true),
                LoraMixing.disagreement(factors, false));
    }

    /** The servers' mean relative error in the last round. */
    public static double finalError(Result r) {
        return r.rounds().get(r.rounds().size() - 1).meanError();
    }

    /** The final round and the traffic by kind. */
    public static void printTable(Result r, PrintStream out) {
        Round last = r.rounds().get(r.rounds().size() - 1);
        out.printf(
                "%n%s, T = %d, p = %.2f: %d rounds in %.1f s%n",
                r.settings().variant(),
                r.settings().interval(),
                r.settings().linkProbability(),
                last.round(),
                r.seconds());
        out.printf(
                "final mean relative error %.4f (round 0: %.4f)%n",
                last.meanError(), r.rounds().get(0).meanError());
        out.printf(
                "final ||C_t|| %.3e, disagreement A %.3e, B %.3e%n",
                last.crossTerm(), last.disagreementA(), last.disagreementB());
        out.printf("%-12s %10s %14s%n", "traffic", "messages", "bytes");
        r.communication()
                .forEach(
                        (kind, t) -> {
                            if (t.messages > 0) {
                                out.printf("%-12s %10d %14d%n", kind, t.messages, t.bytes);
                            }
                        });
    }

    /** Relative error and cross term over the rounds (log scale). */
    public static void writePlot(Result r, Path file) throws IOException {
        int n = r.rounds().size();
        double[] x = new double[n];
        double[] error = new double[n];
        double[] cross = new double[n];
        for (int k = 0; k < n; k++) {
            Round round = r.rounds().get(k);
            x[k] = round.round();
            error[k] = round.meanError();
            // while all copies of A are equal C_t is zero up to rounding: leave it out
            cross[k] = round.crossTerm() > 1e-12 ? round.crossTerm() : Double.NaN;
        }
        new LinePlot(
                        r.settings().variant()
                                + " on the low-rank task (p = "
                                + r.settings().linkProbability()
                                + ")",
                        "round",
                        "log scale",
                        true)
                .add("mean |BA - dW*| / |dW*|", x, error)
                .add("||C_t||_F", x, cross)
                .write(file);
    }
}
