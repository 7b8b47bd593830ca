package io.dflink.tools.bench;

import io.dflink.jobs.FdaOptions;
import io.dflink.operators.functions.MetricsDetail;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.demo.DemoResult;
import io.dflink.tools.demo.DemoRunner;
import io.dflink.tools.demo.DemoSettings;
import io.dflink.tools.metrics.LocalMetrics;
import io.dflink.tools.metrics.PeriodicScrape;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What watching the job costs: the demo (DFL on the paper's ring, embedded) and the latency ring of
 * {@code dflink bench latency}, each run with the server operator's metrics off ({@code
 * --server-metrics NONE}, no reporter) and on ({@code EDGES}, Flink's Prometheus reporter on
 * loopback, scraped every {@code scrapeMillis} as a Prometheus server would), alternately and
 * {@code repeats} times in one process, so that both see the same machine. Reports rounds/s and the
 * consensus step latency of each run, their medians, and whether the demo's models came out the
 * same (metrics must not change what the servers compute).
 */
public final class MetricsOverheadBenchmark {

    /** The run's parameters. */
    public record Settings(
            int repeats,
            long demoRounds,
            int latencyServers,
            int latencyDim,
            int latencyRounds,
            long scrapeMillis) {
        public Settings {
            Require.atLeast("repeats", repeats, 1);
            Require.atLeast("demo-rounds", demoRounds, 2);
            Require.atLeast("latency-servers", latencyServers, 2);
            Require.atLeast("latency-dim", latencyDim, 1);
            Require.atLeast("latency-rounds", latencyRounds, 2);
            Require.atLeast("scrape-ms", scrapeMillis, 100);
        }
    }

    /** One run of one scenario. */
    public record Run(
            String scenario,
            boolean metrics,
            int repeat,
            double roundsPerSecond,
            double stepP50Millis,
            double stepP95Millis,
            long scrapes,
            long bytesPerScrape) {}

    /** Medians over the repeats of one scenario with metrics off or on. */
    public record Summary(
            String scenario,
            boolean metrics,
            double roundsPerSecond,
            double stepP50Millis,
            double stepP95Millis) {}

    /** What the command reports. */
    public record Result(
            Settings settings,
            List<Run> runs,
            List<Summary> summaries,
            boolean demoModelsIdentical) {}

    private MetricsOverheadBenchmark() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        // one unrecorded pass first: the JVM's JIT and the first broker and cluster start-ups
        // would otherwise make whichever side runs first look slow
        out.println("warm-up pass (not recorded) ...");
        demo(s, true, -1);
        latency(s, true, -1);
        List<Run> runs = new ArrayList<>();
        Map<String, double[]> modelsOff = null;
        boolean identical = true;
        for (int i = 0; i < s.repeats(); i++) {
            // alternate which goes first, so that a machine that warms up or slows down over the
            // run does not favour one side
            for (boolean on :
                    i % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                DemoOutcome demo = demo(s, on, i);
                runs.add(demo.run());
                out.println(line(demo.run()));
                if (modelsOff == null && !on) {
                    modelsOff = demo.models();
                } else if (modelsOff != null) {
                    identical &= sameModels(modelsOff, demo.models());
                }
                Run latency = latency(s, on, i);
                runs.add(latency);
                out.println(line(latency));
            }
        }
        List<Summary> summaries = new ArrayList<>();
        for (String scenario : List.of("demo", "latency")) {
            for (boolean on : new boolean[] {false, true}) {
                summaries.add(summary(scenario, on, runs));
            }
        }
        return new Result(s, runs, summaries, identical);
    }

    /** The table: medians off and on, and what the metrics cost. */
    public static void printTable(Result r, PrintStream out) {
        out.printf(
                "%n%-8s %-7s %10s %12s %12s%n",
                "scenario", "metrics", "rounds/s", "step p50 ms", "step p95 ms");
        for (Summary m : r.summaries()) {
            out.printf(
                    "%-8s %-7s %10.3f %12.2f %12.2f%n",
                    m.scenario(),
                    m.metrics() ? "on" : "off",
                    m.roundsPerSecond(),
                    m.stepP50Millis(),
                    m.stepP95Millis());
        }
        for (int k = 0; k < r.summaries().size(); k += 2) {
            Summary off = r.summaries().get(k);
            Summary on = r.summaries().get(k + 1);
            out.printf(
                    "%s: with metrics on, rounds/s %+.1f %%, step p50 %+.1f %% against off (medians of %d runs each)%n",
                    off.scenario(),
                    100 * (on.roundsPerSecond() - off.roundsPerSecond()) / off.roundsPerSecond(),
                    100 * (on.stepP50Millis() - off.stepP50Millis()) / off.stepP50Millis(),
                    r.settings().repeats());
        }
        out.printf(
                "demo models identical with metrics on and off: %s%n",
                r.demoModelsIdentical() ? "yes" : "NO");
    }

    private record DemoOutcome(Run run, Map<String, double[]> models) {}

    private static DemoOutcome demo(Settings s, boolean on, int repeat) throws Exception {
        DemoSettings demo =
                new DemoSettings(
                        42,
                        5,
                        5,
                        s.demoRounds(),
                        250,
                        0.01,
                        25,
                        2,
                        FdaOptions.FdaChoice.NONE,
                        1e-4);
        int port = on ? freeLoopbackPort() : -1;
        DemoRunner runner =
                new DemoRunner(
                                demo,
                                new PrintStream(PrintStream.nullOutputStream()),
                                Duration.ofMinutes(10))
                        .withServerMetrics(on ? MetricsDetail.EDGES : MetricsDetail.NONE)
                        .withMetrics(on ? new LocalMetrics("127.0.0.1", port) : LocalMetrics.NONE);
        try (Scraping scraping = Scraping.of(on, port, s.scrapeMillis())) {
            DemoResult r = runner.run();
            return new DemoOutcome(
                    new Run(
                            "demo",
                            on,
                            repeat,
                            r.roundsPerSecond(),
                            r.stepMillisQuantile(0.5),
                            r.stepMillisQuantile(0.95),
                            scraping.scrapes(),
                            scraping.bytesPerScrape()),
                    r.finalModels());
        }
    }

    private static Run latency(Settings s, boolean on, int repeat) throws Exception {
        int port = on ? freeLoopbackPort() : -1;
        LatencyBenchmark.Settings settings =
                new LatencyBenchmark.Settings(
                        s.latencyServers(),
                        s.latencyDim(),
                        10,
                        s.latencyRounds(),
                        VectorEncoding.F32,
                        2,
                        20,
                        on ? MetricsDetail.EDGES : MetricsDetail.NONE,
                        on ? new LocalMetrics("127.0.0.1", port) : LocalMetrics.NONE);
        try (Scraping scraping = Scraping.of(on, port, s.scrapeMillis())) {
            LatencyBenchmark.Result r =
                    LatencyBenchmark.run(settings, new PrintStream(PrintStream.nullOutputStream()));
            return new Run(
                    "latency",
                    on,
                    repeat,
                    r.roundsPerSecond(),
                    r.step().p50(),
                    r.step().p95(),
                    scraping.scrapes(),
                    scraping.bytesPerScrape());
        }
    }

    /** A scrape while metrics are on; nothing while they are off. */
    private record Scraping(PeriodicScrape scrape) implements AutoCloseable {
        static Scraping of(boolean on, int port, long millis) {
            return new Scraping(
                    on
                            ? PeriodicScrape.start(
                                    "http://127.0.0.1:" + port + "/metrics",
                                    Duration.ofMillis(millis))
                            : null);
        }

        long scrapes() {
            return scrape == null ? 0 : scrape.scrapes();
        }

        long bytesPerScrape() {
            return scrape == null ? 0 : scrape.bytesPerScrape();
        }

        @Override
        public void close() throws InterruptedException {
            if (scrape != null) {
                scrape.close();
            }
        }
    }

    private static Summary summary(String scenario, boolean on, List<Run> runs) {
        List<Run> mine =
                runs.stream()
                        .filter(r -> r.scenario().equals(scenario) && r.metrics() == on)
                        .toList();
        return new Summary(
                scenario,
                on,
                median(mine.stream().mapToDouble(Run::roundsPerSecond).toArray()),
                median(mine.stream().mapToDouble(Run::stepP50Millis).toArray()),
                median(mine.stream().mapToDouble(Run::stepP95Millis).toArray()));
    }

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String line(Run r) {
        return String.format(
                "%-8s metrics %-3s run %d: %.3f rounds/s, step p50 %.2f ms, p95 %.2f ms%s",
                r.scenario(),
                r.metrics() ? "on" : "off",
                r.repeat() + 1,
                r.roundsPerSecond(),
                r.stepP50Millis(),
                r.stepP95Millis(),
                r.metrics()
                        ? String.format(", %d scrapes of %d B", r.scrapes(), r.bytesPerScrape())
                        : "");
    }

    private static boolean sameModels(Map<String, double[]> a, Map<String, double[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
