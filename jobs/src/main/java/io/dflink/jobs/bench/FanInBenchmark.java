package io.dflink.jobs.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.embedded.EmbeddedJob;
import io.dflink.jobs.embedded.EmbeddedKafka;
import io.dflink.jobs.fleet.Fleet;
import io.dflink.jobs.fleet.GraphShapes;
import io.dflink.jobs.report.RunObserver;
import io.dflink.records.ClientUpdate;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.VectorEncoding;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Fan-in (issue 8, benchmark 5): a large fleet of SDK devices (one {@code ClientRuntime}) answers
 * every round's model at once with a small update, as fast as it can; the job (in-process broker,
 * MiniCluster) ingests, validates and aggregates them per server, with no consensus steps so that
 * nothing but the fan-in is measured. Events/s = devices x rounds / time over the rounds after the
 * first, and in steady state over the second half of the rounds (the first rounds run while the JIT
 * is still compiling the broker's, the job's and the fleet's code, at a fraction of the later
 * rate); a round's duration bounds every event's end-to-end latency (from its device receiving the
 * model to the server's aggregate). Rounds are timed by the timestamps of the servers' model
 * records (progress lines: by the observer's clock).
 */
public final class FanInBenchmark {

    /** The run's parameters. */
    public record Settings(
            int devices,
            int servers,
            int dim,
            int rounds,
            VectorEncoding encoding,
            int parallelism) {}

    /** What the command reports. */
    public record Result(
            Settings settings,
            double eventsPerSecond,
            double megabytesPerSecond,
            double steadyEventsPerSecond,
            double steadyRoundP50Millis,
            double roundP50Millis,
            double roundMaxMillis,
            double[] roundMillis) {}

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
            long[] reached = new long[s.rounds() + 1];
            try (RunObserver observer = new RunObserver(common, prefix);
                    EmbeddedJob job = EmbeddedJob.start(config);
                    Fleet fleet =
                            BenchSetup.idleFleet(common, prefix, ids, perServer, s.encoding())) {
                for (int r = 1; r <= s.rounds(); r++) {
                    reached[r] = observer.awaitRound(ids, r, Duration.ofMinutes(10));
                    out.printf(
                            "round %3d/%d  %d updates aggregated  %.0f ms%n",
                            r,
                            s.rounds(),
                            perServer * s.servers(),
                            r == 1 ? Double.NaN : (reached[r] - reached[r - 1]) / 1e6);
                }
                // the job's own times: the observer may lag behind on a saturated machine
                for (int r = 1; r <= s.rounds(); r++) {
                    reached[r] = observer.roundPublishedAtMillis(ids, r) * 1_000_000L;
                }
            }
            double[] rounds = new double[s.rounds() - 1];
            for (int r = 2; r <= s.rounds(); r++) {
                rounds[r - 2] = (reached[r] - reached[r - 1]) / 1e6;
            }
            double seconds = (reached[s.rounds()] - reached[1]) / 1e9;
            long events = (long) perServer * s.servers() * (s.rounds() - 1);
            int half = s.rounds() / 2;
            double steadySeconds = (reached[s.rounds()] - reached[half]) / 1e9;
            long steadyEvents = (long) perServer * s.servers() * (s.rounds() - half);
            double[] steadyRounds = Arrays.copyOfRange(rounds, half - 1, rounds.length);
            Arrays.sort(steadyRounds);
            long bytesPerEvent = bytesPerEvent(s);
            double[] sorted = rounds.clone();
            Arrays.sort(sorted);
            Result result =
                    new Result(
                            s,
                            events / seconds,
                            events * bytesPerEvent / 1e6 / seconds,
                            steadyEvents / steadySeconds,
                            steadyRounds[steadyRounds.length / 2],
                            sorted[sorted.length / 2],
                            sorted[sorted.length - 1],
                            rounds);
            out.printf(
                    "%d devices over %d servers, d = %d, %s: %.0f events/s (%.1f MB/s) over %d"
                            + " rounds; round (= worst event latency) p50 %.0f ms, max %.0f ms%n",
                    perServer * s.servers(),
                    s.servers(),
                    s.dim(),
                    s.encoding(),
                    result.eventsPerSecond(),
                    result.megabytesPerSecond(),
                    s.rounds() - 1,
                    result.roundP50Millis(),
                    result.roundMaxMillis());
            out.printf(
                    "steady state (rounds %d-%d): %.0f events/s, round p50 %.0f ms%n",
                    half + 1,
                    s.rounds(),
                    result.steadyEventsPerSecond(),
                    result.steadyRoundP50Millis());
            return result;
        }
    }

    private static long bytesPerEvent(Settings s) {
        return ClientUpdateCodec.encode(
                        ClientUpdate.model("s0-d00000", "s0", 1, 1, new double[s.dim()]),
                        s.encoding())
                .length;
    }
}
