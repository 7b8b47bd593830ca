package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * FDA's communication benchmark on the digits set: every strategy (Synchronous, fixed periods,
 * Naive / Linear / Sketch FDA at several thresholds) on every scenario (servers x clients, IID or
 * label-skewed), to a held-out accuracy target derived from a centralised model. Pure computation
 * on the production state machines ({@link Federation}); the command prints, writes JSON and plots.
 */
public final class FdaBenchmark {

    /** The sweep. */
    public record Settings(
            int rounds,
            int localSteps,
            int consensusSteps,
            int batchSize,
            double learningRate,
            FdaRun.OptimizerChoice optimizer,
            List<Integer> periods,
            List<Double> thresholds,
            List<FdaVariant> variants,
            double targetFraction,
            VectorEncoding encoding,
            long seed) {
        public Settings {
            Require.atLeast("rounds", rounds, 1);
            Require.atLeast("local-steps", localSteps, 1);
            Require.atLeast("consensus-steps", consensusSteps, 0);
            Require.atLeast("batch-size", batchSize, 1);
            Require.positive("learning-rate", learningRate);
            periods.forEach(k -> Require.atLeast("periods", k, 1));
            thresholds.forEach(t -> Require.nonNegative("thresholds", t));
            Require.that(
                    targetFraction > 0 && targetFraction <= 1,
                    "target-fraction",
                    targetFraction,
                    "must be in (0, 1]");
        }
    }

    /** A topology and data split. */
    public record Scenario(
            String name, int servers, int clientsPerServer, Digits.Sharding sharding) {}

    /** How a run synchronises. */
    public record Strategy(String name, FdaParams fda) {}

    /** One row of the table. */
    public record Row(Scenario scenario, Strategy strategy, FdaRun.Outcome outcome) {}

    /** The whole benchmark's result. */
    public record Result(
            Settings settings,
            double centralisedAccuracy,
            double target,
            List<Row> rows,
            double seconds) {}

    public static final List<Scenario> SCENARIOS =
            List.of(
                    new Scenario("1x10-iid", 1, 10, Digits.Sharding.IID),
                    new Scenario("1x10-skew", 1, 10, Digits.Sharding.LABEL_SKEW),
                    new Scenario("4x5-iid", 4, 5, Digits.Sharding.IID),
                    new Scenario("4x5-skew", 4, 5, Digits.Sharding.LABEL_SKEW));

    private FdaBenchmark() {}

    public static Result run(Settings s, List<Scenario> scenarios, PrintStream progress) {
        long start = System.nanoTime();
        Digits.Split split = Digits.split(Digits.load(), 0.2, s.seed());
        double central = centralisedAccuracy(split, s);
        double target = Math.floor(s.targetFraction() * central * 200) / 200;
        progress.printf(
                "centralised softmax regression: held-out accuracy %.4f; target %.3f%n",
                central, target);
        List<Strategy> strategies = strategies(s);
        List<Row> rows = new ArrayList<>();
        int done = 0;
        for (Scenario sc : scenarios) {
            FdaRun.Setup setup = setup(s, split, sc);
            for (Strategy st : strategies) {
                FdaRun.Outcome o = FdaRun.run(setup, st.fda());
                rows.add(new Row(sc, st, o));
                done++;
                progress.printf(
                        "[%d/%d] %-10s %-22s final accuracy %.4f, %s%n",
                        done,
                        scenarios.size() * strategies.size(),
                        sc.name(),
                        st.name(),
                        o.finalAccuracy(),
                        FdaBenchReport.megabytes(o.wire().bytes()));
            }
        }
        return new Result(s, central, target, rows, (System.nanoTime() - start) / 1e9);
    }

    /** One scenario's fixed parts: its shards of the training split and the sweep's settings. */
    static FdaRun.Setup setup(Settings s, Digits.Split split, Scenario sc) {
        List<LocalDataset> shards =
                Digits.shards(
                        split.train(),
                        sc.servers() * sc.clientsPerServer(),
                        sc.sharding(),
                        s.seed());
        return new FdaRun.Setup(
                sc.servers(),
                shards,
                split.test(),
                s.rounds(),
                s.consensusSteps(),
                s.batchSize(),
                s.learningRate(),
                s.optimizer(),
                s.encoding(),
                s.seed());
    }

    static List<Strategy> strategies(Settings s) {
        List<Strategy> list = new ArrayList<>();
        list.add(new Strategy("Synchronous", fda(s, FdaVariant.SYNCHRONOUS, 0, 1)));
        for (int k : s.periods()) {
            list.add(new Strategy("Periodic k=" + k, fda(s, FdaVariant.PERIODIC, 0, k)));
        }
        for (FdaVariant v : s.variants()) {
            for (double theta : s.thresholds()) {
                list.add(new Strategy(name(v) + " Θ=" + theta, fda(s, v, theta, 1)));
            }
        }
        return list;
    }

    private static String name(FdaVariant v) {
        return v.name().charAt(0) + v.name().substring(1).toLowerCase();
    }

    private static FdaParams fda(Settings s, FdaVariant v, double theta, int period) {
        return FdaParams.of(v, theta, s.localSteps(), period, s.seed());
    }

    /** The held-out accuracy of one model trained on all the training data (100 epochs). */
    static double centralisedAccuracy(Digits.Split split, Settings s) {
        SoftmaxRegressionTrainer t =
                new SoftmaxRegressionTrainer(
                        split.train(),
                        Digits.CLASSES,
                        s.batchSize(),
                        s.optimizer().create(s.learningRate()),
                        s.seed());
        int steps = 100 * (split.train().size() / s.batchSize());
        double[] w = t.train(new double[Digits.FEATURES * Digits.CLASSES], steps);
        return SoftmaxRegressionTrainer.accuracy(w, split.test(), Digits.CLASSES);
    }
}
