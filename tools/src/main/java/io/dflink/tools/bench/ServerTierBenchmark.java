package io.dflink.tools.bench;

import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.operators.core.serverfda.ServerSync;
import io.dflink.records.RoundMetrics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-tier FDA on the digits set: on rings of 4 and 10 servers, IID and label-skewed, the
 * servers gossip every round (ALWAYS), every k-th round (PERIODIC) or when their estimated model
 * variance exceeds Θ_S (VARIANCE), with DFL's clients (one model per round) or Linear FDA's in the
 * client phase. Measures the consensus messages and bytes (the variance flood included) to the
 * held-out accuracy target. Pure computation on the production state machines ({@link Federation}).
 */
public final class ServerTierBenchmark {

    /** How the servers gossip. */
    public record Strategy(String name, ServerFdaParams params) {}

    /** One row: a scenario, the client tier and the server tier. */
    public record Row(
            FdaBenchmark.Scenario scenario,
            String clientTier,
            Strategy strategy,
            FdaRun.Outcome outcome,
            double consensusRoundsPerServer) {}

    /** The whole benchmark's result. */
    public record Result(
            FdaBenchmark.Settings settings,
            double centralisedAccuracy,
            double target,
            List<Row> rows,
            double seconds) {}

    public static final List<FdaBenchmark.Scenario> SCENARIOS =
            List.of(
                    new FdaBenchmark.Scenario("4x5-iid", 4, 5, Digits.Sharding.IID),
                    new FdaBenchmark.Scenario("4x5-skew", 4, 5, Digits.Sharding.LABEL_SKEW),
                    new FdaBenchmark.Scenario("10x2-iid", 10, 2, Digits.Sharding.IID),
                    new FdaBenchmark.Scenario("10x2-skew", 10, 2, Digits.Sharding.LABEL_SKEW));

    private ServerTierBenchmark() {}

    /**
     * Runs every scenario x client tier x server strategy; {@code clientThreshold} is Linear FDA's
     * Θ for the client tier "FDA".
     */
    public static Result run(
            FdaBenchmark.Settings s,
            List<FdaBenchmark.Scenario> scenarios,
            List<Strategy> strategies,
            double clientThreshold,
            PrintStream progress) {
        long start = System.nanoTime();
        Digits.Split split = Digits.split(Digits.load(), 0.2, s.seed());
        double central = FdaBenchmark.centralisedAccuracy(split, s);
        double target = Math.floor(s.targetFraction() * central * 200) / 200;
        progress.printf(
                "centralised softmax regression: held-out accuracy %.4f; target %.3f%n",
                central, target);
        FdaParams linear =
                FdaParams.of(FdaVariant.LINEAR, clientThreshold, s.localSteps(), 1, s.seed());
        List<Row> rows = new ArrayList<>();
        int total = scenarios.size() * 2 * strategies.size();
        for (FdaBenchmark.Scenario sc : scenarios) {
            FdaRun.Setup setup = FdaBenchmark.setup(s, split, sc);
            for (boolean clientFda : List.of(false, true)) {
                for (Strategy st : strategies) {
                    FdaRun.Outcome o = FdaRun.run(setup, linear, clientFda, st.params());
                    Row row =
                            new Row(
                                    sc,
                                    clientFda ? "Linear FDA Θ=" + clientThreshold : "DFL",
                                    st,
                                    o,
                                    consensusRounds(o.metrics()) / sc.servers());
                    rows.add(row);
                    progress.printf(
                            "[%d/%d] %-9s %-18s %-22s final accuracy %.4f, consensus %s,"
                                    + " variance estimate median %.3g%n",
                            rows.size(),
                            total,
                            sc.name(),
                            row.clientTier(),
                            st.name(),
                            o.finalAccuracy(),
                            FdaBenchReport.megabytes(o.wire().consensus().bytes),
                            medianEstimate(o.metrics()));
                }
            }
        }
        return new Result(s, central, target, rows, (System.nanoTime() - start) / 1e9);
    }

    /** ALWAYS, PERIODIC at each period, VARIANCE at each threshold (with the maximum interval). */
    public static List<Strategy> strategies(
            List<Integer> periods, List<Double> thresholds, int maxInterval, long seed) {
        List<Strategy> list = new ArrayList<>();
        list.add(new Strategy("Always", ServerFdaParams.always()));
        for (int k : periods) {
            list.add(new Strategy("Periodic k=" + k, ServerFdaParams.periodic(k)));
        }
        for (double theta : thresholds) {
            list.add(
                    new Strategy(
                            "Variance Θs=" + theta,
                            new ServerFdaParams(
                                    ServerSync.VARIANCE,
                                    1,
                                    theta,
                                    maxInterval,
                                    ServerFdaParams.DEFAULT_SKETCH_DEPTH,
                                    ServerFdaParams.DEFAULT_SKETCH_WIDTH,
                                    seed)));
        }
        return list;
    }

    /** The median of the rounds' variance estimates (NaN without VARIANCE). */
    static double medianEstimate(List<RoundMetrics> metrics) {
        double[] v =
                metrics.stream()
                        .mapToDouble(r -> r.varianceEstimate)
                        .filter(x -> x >= 0)
                        .sorted()
                        .toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static double consensusRounds(List<RoundMetrics> metrics) {
        double n = 0;
        for (RoundMetrics r : metrics) {
            n += r.consensusRan && r.consensusMessagesSent > 0 ? 1 : 0;
        }
        return n;
    }
}
