package io.dflink.operators.core.lora;

import io.dflink.operators.core.graph.Graph;
import io.dflink.records.Edge;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-round random link activation (docs/algorithms.md §2a, §5.2): every link of the topology is
 * active in round t with probability p, decided by a hash of (seed, round, min(i,j), max(i,j)), so
 * both ends agree without a message and any run can be replayed.
 */
public final class LinkActivation {

    private LinkActivation() {}

    /** Whether link {a, b} is active in {@code round}. */
    public static boolean active(long seed, long round, String a, String b, double p) {
        String lo = a.compareTo(b) <= 0 ? a : b;
        String hi = a.compareTo(b) <= 0 ? b : a;
        long h = mix(seed);
        h = mix(h ^ round);
        h = mix(h ^ lo.hashCode());
        h = mix(h ^ hi.hashCode());
        return (h >>> 11) * 0x1.0p-53 < p;
    }

    /** The round's active graph: the given graph's links that are active in the round. */
    public static Graph activeGraph(Graph base, long seed, long round, double p) {
        List<Edge> edges = new ArrayList<>();
        for (String i : base.servers()) {
            for (String j : base.neighbours(i)) {
                if (i.compareTo(j) < 0 && active(seed, round, i, j, p)) {
                    edges.add(new Edge(i, j));
                }
            }
        }
        return Graph.of(base.servers(), edges);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
