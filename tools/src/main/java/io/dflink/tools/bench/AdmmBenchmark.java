package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.clients.SoftmaxProblem;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.GradientShard;
import io.dflink.operators.core.admm.LtAdmm;
import io.dflink.operators.core.admm.LtAdmmReference;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.records.Edge;
import io.dflink.settings.Require;
import io.dflink.tools.fleet.GraphShapes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LT-ADMM's benchmark on digits: L2-regularised softmax regression over label-skewed servers on a
 * ring and on a random graph; LT-ADMM, LT-ADMM-VR (VR-1 and VR-2) and DFL-style gossip (tau local
 * SGD steps, then one Metropolis-Hastings gossip step), for several tau; the relative objective gap
 * (F(xbar) - F*) / F* after each communication round, F* from {@link SoftmaxNewton}. Runs the
 * single-process reference ({@link LtAdmmReference}), which the job's servers match to 1e-9 with
 * streaming clients (LtAdmmFederationTest, LtAdmmKafkaITCase); one communication round is one
 * message per directed edge.
 */
public final class AdmmBenchmark {

    /** The sweep. */
    public record Settings(
            int servers,
            int rounds,
            List<Integer> taus,
            double gamma,
            double beta,
            double rho,
            int batchSize,
            double lambda,
            double randomEdgeProbability,
            double targetGap,
            long seed) {
        public Settings {
            Require.atLeast("servers", servers, 2);
            Require.atLeast("rounds", rounds, 1);
            taus.forEach(t -> Require.atLeast("taus", t, 1));
            Require.positive("gamma", gamma);
            Require.positive("beta", beta);
            Require.positive("rho", rho);
            Require.atLeast("batch-size", batchSize, 0);
            Require.nonNegative("lambda", lambda);
            Require.that(
                    randomEdgeProbability > 0 && randomEdgeProbability <= 1,
                    "edge-probability",
                    randomEdgeProbability,
                    "must be in (0, 1]");
            Require.positive("target-gap", targetGap);
        }
    }

    /** One method on one graph with one tau: the gap after every round. */
    public record Run(String graph, String method, int tau, double[] gaps, double finalMaxGap) {

        /** The first round (1-based) after which the gap is at most {@code target}, or -1. */
        public int roundsTo(double target) {
            for (int r = 0; r < gaps.length; r++) {
                if (gaps[r] <= target) {
                    return r + 1;
                }
            }
            return -1;
        }

        public double finalGap() {
            return gaps[gaps.length - 1];
        }
    }

    /** Everything the command prints and writes. */
    public record Result(
            Settings settings,
            double optimum,
            int newtonIterations,
            Map<String, Integer> edges,
            List<Run> runs,
            double seconds) {}

    static final String[] METHODS = {"LT-ADMM", "LT-ADMM-VR1", "LT-ADMM-VR2", "DFL gossip"};

    private AdmmBenchmark() {}

    public static Result run(Settings s, PrintStream progress) {
        long start = System.nanoTime();
        Digits.Split split = Digits.split(Digits.load(), 0.2, s.seed());
        List<LocalDataset> shards =
                Digits.shards(split.train(), s.servers(), Digits.Sharding.LABEL_SKEW, s.seed());
        List<SoftmaxProblem> agents = new ArrayList<>();
        for (LocalDataset d : shards) {
            agents.add(new SoftmaxProblem(d, Digits.CLASSES, s.lambda()));
        }
        SoftmaxNewton.Optimum opt = SoftmaxNewton.solve(agents, Digits.CLASSES, s.lambda());
        progress.printf(
                "centralised optimum F* = %.12f (Newton, %d iterations, |grad F| = %.1e)%n",
                opt.objective(), opt.iterations(), opt.gradientNorm());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.servers(); i++) {
            ids.add("s" + i);
        }
        Map<String, List<Edge>> graphs = new LinkedHashMap<>();
        graphs.put("ring", GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
        graphs.put(
                "random",
                GraphShapes.edges(
                        GraphShapes.Shape.RANDOM, ids, s.randomEdgeProbability(), s.seed()));
        Map<String, Integer> edgeCounts = new LinkedHashMap<>();
        List<Run> runs = new ArrayList<>();
        int total = graphs.size() * METHODS.length * s.taus().size();
        for (Map.Entry<String, List<Edge>> g : graphs.entrySet()) {
            Graph graph = Graph.of(ids, g.getValue());
            edgeCounts.put(g.getKey(), g.getValue().size());
            for (String method : METHODS) {
                for (int tau : s.taus()) {
                    Run run = runOne(s, agents, graph, g.getKey(), method, tau, opt.objective());
                    runs.add(run);
                    progress.printf(
                            "[%d/%d] %-6s %-12s tau %2d: gap %.3e after %d rounds, %s%n",
                            runs.size(),
                            total,
                            g.getKey(),
                            method,
                            tau,
                            run.finalGap(),
                            s.rounds(),
                            run.roundsTo(s.targetGap()) < 0
                                    ? "target not reached"
                                    : "target after " + run.roundsTo(s.targetGap()) + " rounds");
                }
            }
        }
        return new Result(
                s,
                opt.objective(),
                opt.iterations(),
                edgeCounts,
                runs,
                (System.nanoTime() - start) / 1e9);
    }

    private static Run runOne(
            Settings s,
            List<SoftmaxProblem> agents,
            Graph graph,
            String graphName,
            String method,
            int tau,
            double optimum) {
        Map<String, List<GradientShard>> shards = new LinkedHashMap<>();
        Map<String, List<String>> neighbours = new LinkedHashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            String id = "s" + i;
            shards.put(
                    id,
                    List.of(
                            new GradientShard(
                                    agents.get(i),
                                    s.batchSize(),
                                    GradientShard.seedFor(s.seed(), id))));
            neighbours.put(id, graph.neighbours(id));
        }
        double[] gaps = new double[s.rounds()];
        double[][] x;
        if (method.equals("DFL gossip")) {
            Gossip gossip = new Gossip(s, tau, shards, graph);
            for (int r = 0; r < s.rounds(); r++) {
                gossip.round();
                gaps[r] = gap(agents, gossip.x, optimum);
            }
            x = gossip.x;
        } else {
            VarianceReduction vr =
                    method.equals("LT-ADMM")
                            ? VarianceReduction.NONE
                            : method.endsWith("VR1")
                                    ? VarianceReduction.RESET
                                    : VarianceReduction.SAGA;
            AdmmParams p =
                    new AdmmParams(
                            s.gamma(), s.beta(), s.rho(), 0.5, tau, s.batchSize(), vr, s.seed());
            LtAdmmReference ref =
                    new LtAdmmReference(p, shards, neighbours, new double[agents.get(0).dim()]);
            x = new double[agents.size()][];
            for (int r = 0; r < s.rounds(); r++) {
                ref.runRound();
                for (int i = 0; i < agents.size(); i++) {
                    x[i] = ref.agent("s" + i).x();
                }
                gaps[r] = gap(agents, x, optimum);
            }
        }
        double maxGap = 0;
        for (double[] xi : x) {
            maxGap = Math.max(maxGap, (SoftmaxNewton.objective(agents, xi) - optimum) / optimum);
        }
        return new Run(graphName, method, tau, gaps, maxGap);
    }

    /** (F(xbar) - F*) / F*, with xbar the servers' mean model. */
    private static double gap(List<SoftmaxProblem> agents, double[][] x, double optimum) {
        double[] mean = new double[x[0].length];
        for (double[] xi : x) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] += xi[k] / x.length;
            }
        }
        return (SoftmaxNewton.objective(agents, mean) - optimum) / optimum;
    }

    /** DFL-style gossip: tau local SGD steps from x_i, then x_i <- sum_j W_ij x_j (MH weights). */
    private static final class Gossip {
        private final Settings s;
        private final int tau;
        private final List<List<GradientShard>> shards = new ArrayList<>();
        private final double[][] w;
        final double[][] x;

        Gossip(Settings s, int tau, Map<String, List<GradientShard>> shards, Graph graph) {
            this.s = s;
            this.tau = tau;
            this.shards.addAll(shards.values());
            this.w = MixingWeights.matrix(graph);
            int dim = Digits.FEATURES * Digits.CLASSES;
            this.x = new double[shards.size()][dim];
        }

        void round() {
            AdmmParams plain =
                    new AdmmParams(
                            s.gamma(),
                            s.beta(),
                            s.rho(),
                            0.5,
                            tau,
                            s.batchSize(),
                            VarianceReduction.NONE,
                            s.seed());
            double[] noPenalty = new double[x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int t = 0; t < tau; t++) {
                    double[] g =
                            GradientShard.combine(
                                    List.of(
                                            shards.get(i)
                                                    .get(0)
                                                    .contribute(
                                                            VarianceReduction.NONE, x[i], false)),
                                    x[i].length);
                    LtAdmm.localStep(plain, x[i], g, noPenalty);
                }
            }
            double[][] next = new double[x.length][x[0].length];
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < x.length; j++) {
                    if (w[i][j] != 0) {
                        for (int k = 0; k < next[i].length; k++) {
                            next[i][k] += w[i][j] * x[j][k];
                        }
                    }
                }
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = next[i];
            }
        }
    }
}
