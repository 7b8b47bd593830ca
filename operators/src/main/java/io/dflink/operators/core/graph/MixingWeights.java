package io.dflink.operators.core.graph;

import java.util.List;

/**
 * Consensus mixing weights on a {@link Graph}: explicit link weights when the topology gives valid
 * ones for every link, Metropolis-Hastings otherwise ({@code a_ij = 1/(1+max(deg_i,deg_j))}, the
 * rest on the diagonal). Both are symmetric, so rows and columns sum to one and the mean of the
 * servers' models is preserved by every step (docs/algorithms.md §1b, §5.2).
 */
public final class MixingWeights {

    private MixingWeights() {}

    /** One server's row: its sorted neighbours, their weights, and its own weight. */
    public record Row(List<String> neighbours, double[] weights, double self) {}

    public static Row row(Graph g, String server) {
        List<String> neighbours = g.neighbours(server);
        double[] w = new double[neighbours.size()];
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            w[k] = weight(g, server, neighbours.get(k));
            sum += w[k];
        }
        return new Row(neighbours, w, 1.0 - sum);
    }

    /** The weight of link i-j (i != j, linked). */
    public static double weight(Graph g, String i, String j) {
        if (g.hasExplicitWeights()) {
            return g.explicitWeight(i, j);
        }
        return 1.0 / (1 + Math.max(g.degree(i), g.degree(j)));
    }

    /** The full matrix, indexed in the order of {@link Graph#servers()}. */
    public static double[][] matrix(Graph g) {
        List<String> servers = g.servers();
        int m = servers.size();
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            Row r = row(g, servers.get(i));
            a[i][i] = r.self();
            for (int k = 0; k < r.neighbours().size(); k++) {
                a[i][servers.indexOf(r.neighbours().get(k))] = r.weights()[k];
            }
        }
        return a;
    }

    /**
     * Why explicit weights are unusable, or null when they are valid: each weight must lie in (0,
     * 1) and every server's weights must sum to less than 1, so its own weight stays positive.
     */
    public static String explicitWeightProblem(Graph g) {
        if (!g.hasExplicitWeights()) {
            return null;
        }
        for (String s : g.servers()) {
            double sum = 0;
            for (String n : g.neighbours(s)) {
                double w = g.explicitWeight(s, n);
                if (!(w > 0 && w < 1)) {
                    return "weight of link " + s + "-" + n + " is " + w + ", not in (0, 1)";
                }
                sum += w;
            }
            if (!(sum < 1)) {
                return "weights of "
                        + s
                        + "'s links sum to "
                        + sum
                        + " >= 1, leaving no positive self weight (not doubly stochastic)";
            }
        }
        return null;
    }
}
