package io.dflink.tools.cli;

import io.dflink.tools.bench.MetricsOverheadBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code dflink bench metrics}: what the Flink metrics and a Prometheus scrape cost the job. */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description =
                "Runs the demo and the latency ring with the server operator's metrics off"
                        + " (--server-metrics NONE, no reporter) and on (EDGES, the Prometheus"
                        + " reporter on loopback, scraped every --scrape-ms), alternately, and"
                        + " reports rounds/s and consensus step latency of each, their medians, and"
                        + " whether the demo's models came out the same. Writes"
                        + " metrics-report.json.")
public final class MetricsBenchCommand implements Callable<Integer> {

    @Option(
            names = "--repeats",
            description =
                    "Runs of each scenario with metrics off and on (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(
            names = "--demo-rounds",
            description = "Rounds of each demo run (default: ${DEFAULT-VALUE}).")
    long demoRounds = 30;

    @Option(
            names = "--latency-servers",
            description = "Servers on the latency ring (default: ${DEFAULT-VALUE}).")
    int latencyServers = 8;

    @Option(
            names = "--latency-dim",
            description = "Model dimension of the latency ring (default: ${DEFAULT-VALUE}).")
    int latencyDim = 1000;

    @Option(
            names = "--latency-rounds",
            description = "Rounds of each latency run (default: ${DEFAULT-VALUE}).")
    int latencyRounds = 10;

    @Option(
            names = "--scrape-ms",
            description = "How often the metrics are scraped while on (default: ${DEFAULT-VALUE}).")
    long scrapeMillis = 1000;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        MetricsOverheadBenchmark.Result r =
                MetricsOverheadBenchmark.run(
                        new MetricsOverheadBenchmark.Settings(
                                repeats,
                                demoRounds,
                                latencyServers,
                                latencyDim,
                                latencyRounds,
                                scrapeMillis),
                        System.out);
        MetricsOverheadBenchmark.printTable(r, System.out);
        output.writeJson("metrics-report.json", r);
        return r.demoModelsIdentical() ? 0 : 1;
    }
}
