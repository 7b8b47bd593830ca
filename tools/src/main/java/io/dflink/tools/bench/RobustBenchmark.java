package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalDataset;
import io.dflink.clients.Optimizer;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.RoundMetrics;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.fleet.GraphShapes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Byzantine robustness on the digits set: servers on a ring, each with label-skewed
 * softmax-regression devices of which a fraction is Byzantine ({@link RobustAttack}); every defence
 * (the unbounded mean, the default bounded mean, and each robust aggregator with the default bound)
 * against every attack and fraction, over several seeds. The figure of merit is the held-out
 * accuracy of the servers' final models (their mean over servers). Pure computation on the
 * production state machines ({@link Federation}); the command prints, writes JSON and plots.
 */
public final class RobustBenchmark {

    /** The sweep. */
    public record Settings(
            int servers,
            int devicesPerServer,
            int rounds,
            int localSteps,
            int consensusSteps,
            int batchSize,
            double learningRate,
            List<Double> fractions,
            List<RobustAttack.Kind> attacks,
            double clipRadius,
            int seeds,
            long seed) {
        public Settings {
            Require.atLeast("servers", servers, 1);
            Require.atLeast("devices", devicesPerServer, 3);
            Require.atLeast("rounds", rounds, 1);
            Require.atLeast("local-steps", localSteps, 1);
            Require.atLeast("consensus-steps", consensusSteps, 0);
            Require.atLeast("batch-size", batchSize, 1);
            Require.positive("learning-rate", learningRate);
            Require.positive("clip-radius", clipRadius);
            Require.atLeast("seeds", seeds, 1);
            for (double f : fractions) {
                Require.that(f >= 0 && f < 0.5, "fractions", f, "must be in [0, 0.5)");
            }
        }

        /** Byzantine devices per server at fraction {@code f}. */
        public int attackers(double f) {
            return (int) Math.round(f * devicesPerServer);
        }
    }

    /** One way of combining the devices' models. */
    public record Defence(String name, Aggregation rule, InfluenceBound bound) {}

    /** The defences compared: tolerating the sweep's largest fraction where a rule has a knob. */
    public static List<Defence> defences(Settings s) {
        int f = 0;
        for (double x : s.fractions()) {
            f = Math.max(f, s.attackers(x));
        }
        f = Math.min(f, (s.devicesPerServer() - 3) / 2);
        double beta = Math.min(0.49, (double) f / s.devicesPerServer());
        return List.of(
                new Defence("mean, unbounded", new Aggregation.Mean(), InfluenceBound.none()),
                new Defence("mean", new Aggregation.Mean(), InfluenceBound.defaults()),
                new Defence("median", new Aggregation.Median(), InfluenceBound.defaults()),
                new Defence(
                        "trimmed mean β=" + beta,
                        new Aggregation.TrimmedMean(beta),
                        InfluenceBound.defaults()),
                new Defence(
                        "multi-Krum f=" + f,
                        new Aggregation.MultiKrum(f, 0),
                        InfluenceBound.defaults()),
                new Defence(
                        "centred clipping τ=" + s.clipRadius(),
                        new Aggregation.CenteredClipping(s.clipRadius(), 3),
                        InfluenceBound.defaults()));
    }

    /**
     * One cell: a fraction, an attack (null at fraction 0), a defence, the held-out accuracy per
     * seed, and how many updates the bound and the rule clipped, refused or discarded in all.
     */
    public record Row(
            double fraction,
            RobustAttack.Kind attack,
            Defence defence,
            double[] accuracy,
            long touched) {

        public double mean() {
            double sum = 0;
            for (double a : accuracy) {
                sum += a;
            }
            return sum / accuracy.length;
        }

        public double std() {
            double m = mean();
            double sum = 0;
            for (double a : accuracy) {
                sum += (a - m) * (a - m);
            }
            return accuracy.length > 1 ? Math.sqrt(sum / (accuracy.length - 1)) : 0;
        }
    }

    /** The whole benchmark's result. */
    public record Result(Settings settings, List<Row> rows, double seconds) {}

    private RobustBenchmark() {}

    public static Result run(Settings s, PrintStream progress) {
        long start = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        List<Defence> defences = defences(s);
        List<double[]> cells = new ArrayList<>();
        for (double f : s.fractions()) {
            for (RobustAttack.Kind attack : f == 0 ? nullAttack() : s.attacks()) {
                cells.add(new double[] {f, attack == null ? -1 : attack.ordinal()});
            }
        }
        int total = cells.size() * defences.size();
        int done = 0;
        for (double[] cell : cells) {
            double f = cell[0];
            RobustAttack.Kind attack =
                    cell[1] < 0 ? null : RobustAttack.Kind.values()[(int) cell[1]];
            for (Defence d : defences) {
                double[] acc = new double[s.seeds()];
                long touched = 0;
                for (int k = 0; k < s.seeds(); k++) {
                    Outcome o = runOnce(s, f, attack, d, s.seed() + k);
                    acc[k] = o.accuracy();
                    touched += o.touched();
                }
                Row row = new Row(f, attack, d, acc, touched);
                rows.add(row);
                progress.printf(
                        "[%d/%d] %3.0f%% %-17s %-24s accuracy %.4f ± %.4f%n",
                        ++done,
                        total,
                        100 * f,
                        attack == null ? "-" : attack,
                        d.name(),
                        row.mean(),
                        row.std());
            }
        }
        return new Result(s, rows, (System.nanoTime() - start) / 1e9);
    }

    private static List<RobustAttack.Kind> nullAttack() {
        List<RobustAttack.Kind> none = new ArrayList<>();
        none.add(null);
        return none;
    }

    /** A run's mean held-out accuracy over servers, and the updates its defence touched. */
    record Outcome(double accuracy, long touched) {}

    static Outcome runOnce(
            Settings s, double fraction, RobustAttack.Kind attack, Defence defence, long seed) {
        Digits.Split split = Digits.split(Digits.load(), 0.2, seed);
        List<LocalDataset> shards =
                Digits.shards(
                        split.train(),
                        s.servers() * s.devicesPerServer(),
                        Digits.Sharding.LABEL_SKEW,
                        seed);
        TopologyEvent graph = ring(s.servers());
        Set<String> byzantine = new HashSet<>();
        Map<String, List<FederatedClient>> devices = new LinkedHashMap<>();
        int index = 0;
        for (String server : graph.servers) {
            List<FederatedClient> own = new ArrayList<>();
            for (int c = 0; c < s.devicesPerServer(); c++, index++) {
                String id = server + "-c" + c;
                if (c >= s.devicesPerServer() - s.attackers(fraction)) {
                    byzantine.add(id); // the last ones answer after the honest ones
                }
                own.add(
                        new FederatedClient(
                                id,
                                server,
                                new SoftmaxRegressionTrainer(
                                        shards.get(index),
                                        Digits.CLASSES,
                                        s.batchSize(),
                                        Optimizer.sgd(s.learningRate()),
                                        seed * 1000 + index),
                                s.localSteps()));
            }
            devices.put(server, own);
        }
        ServerParams params =
                ServerParams.builder(Digits.FEATURES * Digits.CLASSES)
                        .consensusSteps(s.servers() > 1 ? s.consensusSteps() : 0)
                        .closing(RoundClosing.count(s.devicesPerServer()))
                        .lastRound(s.rounds())
                        .encoding(VectorEncoding.F64)
                        .aggregation(defence.rule())
                        .bound(defence.bound())
                        .build();
        Federation federation = new Federation(params, graph, devices);
        if (attack != null && !byzantine.isEmpty()) {
            federation.tampering(new RobustAttack(attack, byzantine, seed));
        }
        federation.run();
        double accuracy = 0;
        for (String server : graph.servers) {
            ServerState state = federation.state(server);
            accuracy +=
                    SoftmaxRegressionTrainer.accuracy(state.model, split.test(), Digits.CLASSES);
        }
        long touched = 0;
        for (RoundMetrics m : federation.metrics()) {
            touched +=
                    m.weightBounded.size()
                            + m.clipped.size()
                            + m.refused.size()
                            + m.discarded.size();
        }
        return new Outcome(accuracy / graph.servers.size(), touched);
    }

    private static TopologyEvent ring(int servers) {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            ids.add("s" + s);
        }
        return TopologyEvent.graph(0, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
    }
}
