package io.dflink.tools.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.kafka.Topics;
import io.dflink.records.ClientUpdate;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.report.RunObserver;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Fan-in bound by the job alone: a backlog of {@code rounds} rounds of every device's update is
 * written to {@code client-updates} before the job starts (round by round, keyed by server), so
 * neither a fleet nor a producer competes for the cores while the job drains it. The job ingests,
 * decodes, validates and aggregates it with no consensus steps; its rate is every update over the
 * time from all servers running (their round-0 models) to the last server's last round. A bare
 * {@code KafkaConsumer} reading the same backlog in the same run gives the ceiling; with {@code
 * profile}, a JFR recording of the drain names the methods the job's time goes to.
 */
public final class FanInBacklogBenchmark {

    /** The run's parameters. */
    public record Settings(
            int devices,
            int servers,
            int dim,
            int rounds,
            UpdateFormat format,
            VectorEncoding encoding,
            int parallelism,
            Path profile) {
        public Settings {
            BenchSetup.checkFleet(devices, servers, dim, parallelism);
            Require.atLeast("rounds", rounds, 1);
        }

        int perServer() {
            return devices / servers;
        }

        long events() {
            return (long) perServer() * servers * rounds;
        }
    }

    /** What the command reports. */
    public record Result(
            Settings settings,
            long events,
            long backlogBytes,
            double bareEventsPerSecond,
            double jobSeconds,
            double jobEventsPerSecond,
            double steadyEventsPerSecond,
            double microsPerEvent,
            double jobToBare,
            Map<String, Double> cpuMicrosPerEvent,
            Map<String, Double> busiestThreads,
            List<JfrProfile.Hot> profile) {}

    private FanInBacklogBenchmark() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        List<String> ids = BenchSetup.serverIds(s.servers());
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties common = BenchSetup.kafka(kafka.bootstrapServers());
            String prefix = "fanin-backlog.";
            BenchSetup.topicsWithGraph(
                    common, prefix, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
            String topic = Topics.CLIENT_UPDATES.under(prefix);
            out.printf(
                    "writing the backlog: %d devices x %d rounds = %d %s/%s updates of d = %d%n",
                    s.perServer() * s.servers(),
                    s.rounds(),
                    s.events(),
                    s.format(),
                    s.encoding(),
                    s.dim());
            long bytes = Backlog.produce(common, sink -> backlog(s, ids, topic, sink));
            double bare = Backlog.bareConsume(common, topic, s.events());
            out.printf(
                    "backlog %.1f MB; a bare KafkaConsumer reads it at %.0f events/s%n",
                    bytes / 1e6, s.events() / bare);
            JobConfig config =
                    BenchSetup.job(
                            kafka.bootstrapServers(),
                            prefix,
                            "fan-in-backlog",
                            s.parallelism(),
                            s.encoding(),
                            s.dim(),
                            "--consensus-steps",
                            "0",
                            "--clients-per-server",
                            String.valueOf(s.perServer()),
                            "--rounds",
                            String.valueOf(s.rounds()),
                            "--max-rounds-ahead",
                            String.valueOf(s.rounds() + 1),
                            "--max-buffered",
                            String.valueOf(4 * s.perServer() + 100));
            double seconds;
            double steady;
            Map<String, Double> cpu;
            Map<String, Double> busiest;
            List<JfrProfile.Hot> hot = List.of();
            try (RunObserver observer = new RunObserver(common, prefix);
                    EmbeddedJob job = EmbeddedJob.start(config)) {
                long running = observer.awaitRound(ids, 0, Duration.ofMinutes(10));
                JfrProfile profile = s.profile() == null ? null : JfrProfile.start();
                ThreadCpu threads = ThreadCpu.start();
                long done = awaitRounds(observer, ids, s.rounds(), running, out);
                cpu = threads.microsPerEvent(s.events());
                busiest = threads.busiest(s.events(), 8);
                if (profile != null) {
                    hot = profile.stop(s.profile(), 15);
                }
                seconds = (done - running) / 1e9;
                steady =
                        s.rounds() < 3
                                ? Double.NaN
                                : FanInTimings.of(
                                                observer.publishedAtMillis(ids, s.rounds()),
                                                s.perServer())
                                        .steadyEventsPerSecond();
            }
            double rate = s.events() / seconds;
            Result r =
                    new Result(
                            s,
                            s.events(),
                            bytes,
                            s.events() / bare,
                            seconds,
                            rate,
                            steady,
                            1e6 / rate,
                            rate / (s.events() / bare),
                            cpu,
                            busiest,
                            hot);
            report(r, out);
            return r;
        }
    }

    /** Waits for every round, printing progress; returns when the last is reached. */
    private static long awaitRounds(
            RunObserver observer, List<String> ids, int rounds, long running, PrintStream out)
            throws InterruptedException {
        long reached = running;
        for (int r = 1; r <= rounds; r++) {
            reached = observer.awaitRound(ids, r, Duration.ofMinutes(10));
            if (r % Math.max(1, rounds / 10) == 0 || r == rounds) {
                out.printf(
                        "round %4d drained by every server  %.1f s%n",
                        r, (reached - running) / 1e9);
            }
        }
        return reached;
    }

    /**
     * Round by round, every device's update, keyed by its server: the update of round r answers the
     * server's model of round r (so rounds 0..R-1 close rounds 1..R).
     */
    private static void backlog(
            Settings s,
            List<String> ids,
            String topic,
            java.util.function.Consumer<ProducerRecord<byte[], byte[]>> sink) {
        SplittableRandom rnd = new SplittableRandom(11);
        double[] w = new double[s.dim()];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian();
        }
        for (int round = 0; round < s.rounds(); round++) {
            for (int c = 0; c < s.perServer(); c++) {
                for (String server : ids) {
                    ClientUpdate u =
                            ClientUpdate.model(
                                    String.format("%s-d%05d", server, c), server, round, 1, w);
                    sink.accept(
                            new ProducerRecord<>(
                                    topic,
                                    server.getBytes(StandardCharsets.UTF_8),
                                    ClientUpdateCodec.encode(u, s.format(), s.encoding())));
                }
            }
        }
    }

    private static void report(Result r, PrintStream out) {
        Settings s = r.settings();
        out.printf(
                "job drained %d %s/%s updates (d = %d, %d servers, parallelism %d) in %.2f s:"
                        + " %.0f events/s, %.2f us per event (steady, while every server runs: %.0f"
                        + " events/s); bare consumer %.0f events/s (job/bare %.2f)%n",
                r.events(),
                s.format(),
                s.encoding(),
                s.dim(),
                s.servers(),
                s.parallelism(),
                r.jobSeconds(),
                r.jobEventsPerSecond(),
                r.microsPerEvent(),
                r.steadyEventsPerSecond(),
                r.bareEventsPerSecond(),
                r.jobToBare());
        out.print("CPU per event, by thread group (us):");
        r.cpuMicrosPerEvent().forEach((g, us) -> out.printf("  %s %.2f", g, us));
        out.println();
        out.println("busiest threads (us per event):");
        r.busiestThreads().forEach((t, us) -> out.printf("  %5.2f  %s%n", us, t));
        if (!r.profile().isEmpty()) {
            out.println("where the drain's CPU samples fall (self time, top frames):");
            for (JfrProfile.Hot h : r.profile()) {
                out.printf("  %5.1f%%  %s%n", 100 * h.share(), h.frame());
            }
        }
    }
}
