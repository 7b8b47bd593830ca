package io.dflink.tools.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.records.ClientUpdate;
import io.dflink.security.ClientKeys;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.report.RunObserver;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Fan-in: a large fleet of SDK devices (one {@code ClientRuntime}) answers every round's model at
 * once with a small update, as fast as it can; the job (in-process broker, MiniCluster) ingests,
 * validates and aggregates them per server, with no consensus steps so that nothing but the fan-in
 * is measured. Events/s = devices x rounds / time over the rounds after the first, and in steady
 * state while every server still runs ({@link FanInTimings}); a server's round bounds the
 * end-to-end latency of every event in it (from its device receiving the model to the server's
 * aggregate). Rounds are timed by the timestamps of the servers' model records (progress lines: by
 * the observer's clock).
 */
public final class FanInBenchmark {

    /** The run's parameters. */
    public record Settings(
            int devices,
            int servers,
            int dim,
            int rounds,
            UpdateFormat format,
            VectorEncoding encoding,
            int parallelism) {
        public Settings {
            BenchSetup.checkFleet(devices, servers, dim, parallelism);
            Require.atLeast("rounds", rounds, 3);
        }
    }

    /** What the command reports. */
    public record Result(
            Settings settings,
            double eventsPerSecond,
            double megabytesPerSecond,
            double steadyEventsPerSecond,
            double steadySeconds,
            double roundP50Millis,
            double roundMaxMillis,
            double finishSpreadMillis,
            long[][] publishedAtMillis) {}

    private FanInBenchmark() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        int perServer = s.devices() / s.servers();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties common = BenchSetup.kafka(kafka.bootstrapServers());
            String prefix = "fanin.";
            List<String> ids = BenchSetup.serverIds(s.servers());
            BenchSetup.topicsWithGraph(
                    common, prefix, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
            JobConfig config =
                    BenchSetup.job(
                            kafka.bootstrapServers(),
                            prefix,
                            "fan-in",
                            s.parallelism(),
                            s.encoding(),
                            s.dim(),
                            "--consensus-steps",
                            "0",
                            "--clients-per-server",
                            String.valueOf(perServer),
                            "--rounds",
                            String.valueOf(s.rounds()),
                            "--max-buffered",
                            String.valueOf(4 * perServer + 100));
            long[][] published;
            try (RunObserver observer = new RunObserver(common, prefix);
                    EmbeddedJob job = EmbeddedJob.start(config);
                    Fleet fleet =
                            BenchSetup.idleFleet(
                                    common,
                                    prefix,
                                    ids,
                                    perServer,
                                    new Fleet.Publishing(
                                            s.format(), s.encoding(), ClientKeys.none()))) {
                long previous = 0;
                for (int r = 1; r <= s.rounds(); r++) {
                    long reached = observer.awaitRound(ids, r, Duration.ofMinutes(10));
                    out.printf(
                            "round %3d/%d reached by every server  %.0f ms%n",
                            r, s.rounds(), r == 1 ? Double.NaN : (reached - previous) / 1e6);
                    previous = reached;
                }
                published = observer.publishedAtMillis(ids, s.rounds());
            }
            FanInTimings t = FanInTimings.of(published, perServer);
            Result result =
                    new Result(
                            s,
                            t.eventsPerSecond(),
                            t.eventsPerSecond() * bytesPerEvent(s) / 1e6,
                            t.steadyEventsPerSecond(),
                            t.steadySeconds(),
                            t.roundP50Millis(),
                            t.roundMaxMillis(),
                            t.finishSpreadMillis(),
                            published);
            out.printf(
                    "%d devices over %d servers, d = %d, %s/%s: %.0f events/s (%.1f MB/s) over %d"
                            + " rounds; a server's round (= worst event latency) p50 %.0f ms, max"
                            + " %.0f ms%n",
                    perServer * s.servers(),
                    s.servers(),
                    s.dim(),
                    s.format(),
                    s.encoding(),
                    result.eventsPerSecond(),
                    result.megabytesPerSecond(),
                    s.rounds() - 1,
                    result.roundP50Millis(),
                    result.roundMaxMillis());
            out.printf(
                    "steady state (all servers running, %.1f s from the first server's round %d):"
                            + " %.0f events/s; servers finished within %.0f ms of each other%n",
                    result.steadySeconds(),
                    s.rounds() / 2,
                    result.steadyEventsPerSecond(),
                    result.finishSpreadMillis());
            return result;
        }
    }

    private static long bytesPerEvent(Settings s) {
        return ClientUpdateCodec.encode(
                        ClientUpdate.model("s0-d00000", "s0", 1, 1, new double[s.dim()]),
                        s.format(),
                        s.encoding())
                .length;
    }
}
