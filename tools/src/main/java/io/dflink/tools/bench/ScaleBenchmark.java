package io.dflink.tools.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.records.Traffic;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.report.RunObserver;

import org.apache.flink.core.execution.SavepointFormatType;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Scale: DFL with S servers on a random regular graph, C idle SDK devices per server (each answers
 * a round's model at once with it, unchanged), d-value binary vectors, for every (S, d) of the
 * grid, each on a fresh in-process broker and MiniCluster. Reports rounds/s, messages/s and bytes/s
 * (the servers' own accounting), the JVM's peak heap (broker, job and fleet share this JVM; and
 * what is live after a full collection mid round) and the keyed state per server, measured as the
 * size of a savepoint taken mid round (servers holding part of their clients' models) divided by S.
 * The cost of a round is S x (C + degree x T_S) vectors of d values; "ns per value" (round time /
 * that) is flat when the cost grows linearly.
 */
public final class ScaleBenchmark {

    /** The run's parameters. */
    public record Settings(
            List<Integer> servers,
            List<Integer> dims,
            int clientsPerServer,
            int degree,
            int consensusSteps,
            int rounds,
            VectorEncoding encoding,
            int parallelism,
            long seed) {
        public Settings {
            servers.forEach(s -> Require.atLeast("servers", s, 3));
            dims.forEach(d -> Require.atLeast("dims", d, 1));
            Require.atLeast("clients-per-server", clientsPerServer, 1);
            Require.atLeast("degree", degree, 2);
            Require.atLeast("consensus-steps", consensusSteps, 0);
            Require.atLeast("rounds", rounds, 1);
            Require.atLeast("parallelism", parallelism, 1);
        }
    }

    /** One (S, d) point of the grid. */
    public record Result(
            int servers,
            int dim,
            int rounds,
            double roundsPerSecond,
            double secondsPerRound,
            double messagesPerSecond,
            double megabytesPerSecond,
            long vectorsPerRound,
            double nanosPerValue,
            double peakHeapMb,
            double liveHeapMb,
            double savepointMb,
            double stateKbPerServer) {}

    private ScaleBenchmark() {}

    public static List<Result> run(Settings s, PrintStream out) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int d : s.dims()) {
            for (int m : s.servers()) {
                Result r = one(s, m, d, out);
                results.add(r);
                out.printf(
                        "S %4d  d %7d  %6.3f rounds/s (%6.1f s/round)  %8.0f msg/s  %7.1f MB/s"
                                + "  %5.1f ns/value  heap peak %6.0f MB live %6.0f MB"
                                + "  state %9.1f KB/server%n",
                        r.servers(),
                        r.dim(),
                        r.roundsPerSecond(),
                        r.secondsPerRound(),
                        r.messagesPerSecond(),
                        r.megabytesPerSecond(),
                        r.nanosPerValue(),
                        r.peakHeapMb(),
                        r.liveHeapMb(),
                        r.stateKbPerServer());
            }
        }
        return results;
    }

    private static Result one(Settings s, int m, int d, PrintStream out) throws Exception {
        out.printf(
                "-- %d servers x %d clients, d = %d, degree %d, T_S = %d, %s --%n",
                m, s.clientsPerServer(), d, s.degree(), s.consensusSteps(), s.encoding());
        List<String> ids = BenchSetup.serverIds(m);
        System.gc();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                HeapSampler heap = new HeapSampler()) {
            Properties common = BenchSetup.kafka(kafka.bootstrapServers());
            String prefix = "scale.";
            BenchSetup.topicsWithGraph(
                    common, prefix, ids, GraphShapes.randomRegular(ids, s.degree(), s.seed()));
            Path savepoints = Files.createTempDirectory("dflink-scale-savepoint");
            JobConfig config = config(s, kafka.bootstrapServers(), prefix, d, savepoints);
            long[] reached = new long[s.rounds() + 1];
            long savepointBytes;
            long live;
            Map<String, Traffic> traffic;
            try (RunObserver observer = new RunObserver(common, prefix);
                    EmbeddedJob job = EmbeddedJob.start(config);
                    Fleet fleet =
                            BenchSetup.idleFleet(
                                    common,
                                    prefix,
                                    ids,
                                    s.clientsPerServer(),
                                    Fleet.Publishing.json(s.encoding()))) {
                for (int r = 0; r <= s.rounds(); r++) {
                    reached[r] = observer.awaitRound(ids, r, Duration.ofMinutes(30));
                    out.printf(
                            "round %d/%d reached by all %d servers%s%n",
                            r,
                            s.rounds(),
                            m,
                            r == 0 ? "" : String.format(" (%.1f s)", seconds(reached, r - 1, r)));
                }
                traffic = observer.communication(); // rounds 0 .. rounds-1 are accounted
                System.gc(); // what is live mid round: broker, job state and buffers, fleet
                live = heap.usedNow();
                // mid round: the servers hold part of this round's client models
                String path =
                        job.client()
                                .triggerSavepoint(
                                        savepoints.toString(), SavepointFormatType.CANONICAL)
                                .get(10, TimeUnit.MINUTES);
                savepointBytes = size(Path.of(path.replace("file:", "")));
            } finally {
                deleteTree(savepoints);
            }
            double seconds = seconds(reached, 0, s.rounds());
            long messages = 0;
            long bytes = 0;
            for (Traffic t : traffic.values()) {
                messages += t.messages;
                bytes += t.bytes;
            }
            long vectors =
                    (long) m * (s.clientsPerServer() + (long) s.degree() * s.consensusSteps());
            return new Result(
                    m,
                    d,
                    s.rounds(),
                    s.rounds() / seconds,
                    seconds / s.rounds(),
                    messages / seconds,
                    bytes / 1e6 / seconds,
                    vectors,
                    seconds / s.rounds() * 1e9 / ((double) vectors * d),
                    heap.peakBytes.get() / 1e6,
                    live / 1e6,
                    savepointBytes / 1e6,
                    savepointBytes / 1e3 / m);
        }
    }

    private static JobConfig config(
            Settings s, String bootstrap, String prefix, int d, Path savepoints) {
        int perServer = s.clientsPerServer();
        return BenchSetup.job(
                bootstrap,
                prefix,
                "scale",
                s.parallelism(),
                s.encoding(),
                d,
                "--consensus-steps",
                String.valueOf(s.consensusSteps()),
                "--clients-per-server",
                String.valueOf(perServer),
                // one more round than timed: the savepoint is taken inside it
                "--rounds",
                String.valueOf(s.rounds() + 2),
                "--max-buffered",
                String.valueOf(4 * perServer + 8 * s.degree() + 100),
                "--max-vector-length",
                String.valueOf(Math.max(d, 1_000_000)),
                // file storage: the JobManager's in-memory storage takes 5 MB at most
                "--checkpoint-dir",
                savepoints.toUri().toString());
    }

    private static double seconds(long[] reached, int from, int to) {
        return (reached[to] - reached[from]) / 1e9;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(ScaleBenchmark::bytes).sum();
        }
    }

    private static long bytes(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Samples the heap in use (garbage included) every 100 ms and keeps the peak. */
    private static final class HeapSampler implements AutoCloseable {
        final AtomicLong peakBytes = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        HeapSampler() {
            thread = new Thread(this::loop, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running.get()) {
                peakBytes.accumulateAndGet(usedNow(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long usedNow() {
            long used = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    used += p.getUsage().getUsed();
                }
            }
            return used;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(1_000);
        }
    }
}
