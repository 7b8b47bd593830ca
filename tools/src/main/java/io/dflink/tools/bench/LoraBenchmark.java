package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.clients.Optimizer;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.settings.Require;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * TAD-LoRA's sweep on digits: link probability p x switching interval T x variant x seed over 10
 * label-skewed peers adapting a frozen base that was trained on the digits 0-4 only ({@link
 * LoraRun}). T does not apply to LoRA and FFA-LoRA (run once per p) nor to RoLoRA (T = 1).
 */
public final class LoraBenchmark {

    /** The sweep. */
    public record Settings(
            int peers,
            int rounds,
            int localSteps,
            int batchSize,
            double learningRate,
            int rank,
            double alpha,
            List<Double> probabilities,
            List<Integer> intervals,
            List<Long> seeds) {
        public Settings {
            Require.atLeast("peers", peers, 2);
            Require.atLeast("rounds", rounds, 1);
            Require.atLeast("local-steps", localSteps, 1);
            Require.atLeast("batch-size", batchSize, 1);
            Require.positive("learning-rate", learningRate);
            Require.atLeast("rank", rank, 1);
            Require.positive("alpha", alpha);
            probabilities.forEach(
                    p -> Require.that(p > 0 && p <= 1, "probabilities", p, "must be in (0, 1]"));
            intervals.forEach(t -> Require.atLeast("intervals", t, 1));
            seeds.forEach(s -> Require.atLeast("seeds", s, 0));
        }
    }

    /** One (variant, p, T) cell over the seeds. */
    public record Cell(LoraVariant variant, double p, int interval, List<LoraRun.Trace> traces) {

        public double meanAccuracy() {
            return traces.stream().mapToDouble(LoraRun.Trace::finalAccuracy).average().orElse(0);
        }

        public double stdAccuracy() {
            double m = meanAccuracy();
            double s = 0;
            for (LoraRun.Trace t : traces) {
                s += (t.finalAccuracy() - m) * (t.finalAccuracy() - m);
            }
            return traces.size() > 1 ? Math.sqrt(s / (traces.size() - 1)) : 0;
        }

        /** ||C_t||_F averaged over the last tenth of the rounds and the seeds. */
        public double lateCrossTerm() {
            double sum = 0;
            int n = 0;
            for (LoraRun.Trace t : traces) {
                int from = t.crossTerm().length * 9 / 10;
                for (int r = from; r < t.crossTerm().length; r++) {
                    sum += t.crossTerm()[r];
                    n++;
                }
            }
            return sum / n;
        }

        public long floatsSent() {
            return traces.get(0).floatsSent();
        }
    }

    /** Everything the command reports. */
    public record Result(
            Settings settings, double baseAccuracy, List<Cell> cells, double seconds) {}

    private LoraBenchmark() {}

    public static Result run(Settings s, PrintStream progress) {
        long start = System.nanoTime();
        Digits.Split split = Digits.split(Digits.load(), 0.2, 4);
        double[] base = base(split.train());
        double baseAccuracy = SoftmaxRegressionTrainer.accuracy(base, split.test(), Digits.CLASSES);
        progress.printf(
                "frozen base (softmax trained on digits 0-4 only): held-out accuracy %.4f%n",
                baseAccuracy);
        List<LocalDataset> peers =
                Digits.shards(split.train(), s.peers(), Digits.Sharding.LABEL_SKEW, 4);
        List<Cell> cells = new ArrayList<>();
        for (double p : s.probabilities()) {
            for (LoraVariant v : LoraVariant.values()) {
                for (int t : intervals(v, s.intervals())) {
                    List<LoraRun.Trace> traces = new ArrayList<>();
                    for (long seed : s.seeds()) {
                        traces.add(
                                LoraRun.run(
                                        new LoraRun.Setup(
                                                peers,
                                                split.test(),
                                                base,
                                                s.rank(),
                                                s.alpha(),
                                                s.rounds(),
                                                s.localSteps(),
                                                s.batchSize(),
                                                s.learningRate(),
                                                p,
                                                t,
                                                v,
                                                seed)));
                    }
                    Cell c = new Cell(v, p, t, traces);
                    cells.add(c);
                    progress.printf(
                            "p %-5s %-18s T %-2s accuracy %.4f ± %.4f  ||C|| %.3e%n",
                            p, v, t, c.meanAccuracy(), c.stdAccuracy(), c.lateCrossTerm());
                }
            }
        }
        return new Result(s, baseAccuracy, cells, (System.nanoTime() - start) / 1e9);
    }

    /** The intervals a variant is run with: T matters only to the alternating ones. */
    static List<Integer> intervals(LoraVariant v, List<Integer> all) {
        switch (v) {
            case TAD_LORA:
            case TAD_LORA_NO_JOINT:
                return all;
            default:
                return List.of(1);
        }
    }

    /** Softmax regression trained on the digits 0-4 only: the frozen base. */
    static double[] base(LocalDataset train) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int k = 0; k < train.size(); k++) {
            if (train.targets()[k] < 5) {
                x.add(train.features()[k]);
                y.add(train.targets()[k]);
            }
        }
        LocalDataset half =
                new LocalDataset(
                        x.toArray(new double[0][]),
                        y.stream().mapToDouble(Double::doubleValue).toArray());
        return new SoftmaxRegressionTrainer(half, Digits.CLASSES, 32, Optimizer.adam(0.01), 1)
                .train(new double[Digits.FEATURES * Digits.CLASSES], 600);
    }
}
