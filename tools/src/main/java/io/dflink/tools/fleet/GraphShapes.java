package io.dflink.tools.fleet;

import io.dflink.records.Edge;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Standard server graphs: ring, path, star, complete, and seeded connected random graphs. */
public final class GraphShapes {

    /** The shapes {@code dflink topology} offers. */
    public enum Shape {
        RING,
        PATH,
        STAR,
        COMPLETE,
        RANDOM
    }

    private GraphShapes() {}

    public static List<Edge> edges(Shape shape, List<String> servers, double p, long seed) {
        int m = servers.size();
        List<Edge> edges = new ArrayList<>();
        switch (shape) {
            case RING:
                for (int i = 0; i < m && m > 1; i++) {
                    if (m > 2 || i == 0) {
                        edges.add(new Edge(servers.get(i), servers.get((i + 1) % m)));
                    }
                }
                return edges;
            case PATH:
                for (int i = 0; i + 1 < m; i++) {
                    edges.add(new Edge(servers.get(i), servers.get(i + 1)));
                }
                return edges;
            case STAR:
                for (int i = 1; i < m; i++) {
                    edges.add(new Edge(servers.get(0), servers.get(i)));
                }
                return edges;
            case COMPLETE:
                return random(servers, 1.0, seed);
            case RANDOM:
                return random(servers, p, seed);
            default:
                throw new IllegalArgumentException("unknown shape " + shape);
        }
    }

    /**
     * A random connected {@code degree}-regular graph ({@code degree} even, below the number of
     * servers): the union of {@code degree / 2} random Hamiltonian cycles, redrawn until no two
     * share an edge. Not uniform over regular graphs, but every server has exactly {@code degree}
     * neighbours and the first cycle keeps the graph connected.
     */
    public static List<Edge> randomRegular(List<String> servers, int degree, long seed) {
        int m = servers.size();
        if (degree < 2 || degree % 2 != 0 || degree >= m) {
            throw new IllegalArgumentException(
                    "a random regular graph needs an even degree >= 2 below the server count "
                            + m
                            + ", got "
                            + degree);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            boolean[][] linked = new boolean[m][m];
            List<Edge> edges = new ArrayList<>();
            if (addCycles(servers, degree / 2, rnd, linked, edges)) {
                return edges;
            }
        }
        throw new IllegalStateException(
                "no " + degree + "-regular graph found on " + m + " servers");
    }

    private static boolean addCycles(
            List<String> servers,
            int cycles,
            SplittableRandom rnd,
            boolean[][] linked,
            List<Edge> edges) {
        int m = servers.size();
        for (int c = 0; c < cycles; c++) {
            int[] order = new int[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            for (int i = m - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < m; i++) {
                int a = order[i];
                int b = order[(i + 1) % m];
                if (linked[a][b]) {
                    return false;
                }
                linked[a][b] = linked[b][a] = true;
                edges.add(new Edge(servers.get(a), servers.get(b)));
            }
        }
        return true;
    }

    /** Erdős-Rényi G(m, p) plus a random spanning path, so the graph is always connected. */
    private static List<Edge> random(List<String> servers, double p, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = servers.size();
        boolean[][] linked = new boolean[m][m];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            order.add(i);
        }
        for (int i = m - 1; i > 0; i--) {
            java.util.Collections.swap(order, i, rnd.nextInt(i + 1));
        }
        for (int i = 0; i + 1 < m; i++) {
            int a = order.get(i);
            int b = order.get(i + 1);
            linked[a][b] = linked[b][a] = true;
        }
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                if (linked[i][j] || rnd.nextDouble() < p) {
                    edges.add(new Edge(servers.get(i), servers.get(j)));
                }
            }
        }
        return edges;
    }
}
