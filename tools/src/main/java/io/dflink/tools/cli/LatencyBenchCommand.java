package io.dflink.tools.cli;

import io.dflink.serde.VectorEncoding;
import io.dflink.tools.bench.LatencyBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code dflink bench latency}: consensus step latency against a bare Kafka hop. */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description =
                "Runs DFL on a ring (in-process broker, MiniCluster) and reports the servers'"
                        + " consensus step latency p50/p95 next to a bare produce -> consume hop of"
                        + " the same record size on the same broker, measured before and after,"
                        + " and a bare step: a step's 2 x servers records sent at once."
                        + " Writes latency-report.json.")
public final class LatencyBenchCommand implements Callable<Integer> {

    @Option(names = "--servers", description = "Servers on the ring (default: ${DEFAULT-VALUE}).")
    int servers = 16;

    @Option(names = "--dim", description = "Model dimension d (default: ${DEFAULT-VALUE}).")
    int dim = 10_000;

    @Option(names = "--consensus-steps", description = "T_S per round (default: ${DEFAULT-VALUE}).")
    int consensusSteps = 20;

    @Option(
            names = "--rounds",
            description =
                    "Rounds; round 0 (JIT and broker warm-up) is left out of the figures, and"
                            + " enough rounds make them steady-state ones (default:"
                            + " ${DEFAULT-VALUE}).")
    int rounds = 20;

    @Option(
            names = "--encoding",
            description =
                    "Vector encoding of the job and the bare hop (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.F32;

    @Option(
            names = "--parallelism",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--pings",
            description =
                    "Bare hops per measurement; bare steps: a fifth of it, at least 20 (default:"
                            + " ${DEFAULT-VALUE}).")
    int pings = 300;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        LatencyBenchmark.Result r =
                LatencyBenchmark.run(
                        new LatencyBenchmark.Settings(
                                servers, dim, consensusSteps, rounds, encoding, parallelism, pings),
                        System.out);
        output.writeJson("latency-report.json", r);
        return 0;
    }
}
