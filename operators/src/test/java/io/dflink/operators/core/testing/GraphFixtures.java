package io.dflink.operators.core.testing;

import io.dflink.operators.core.graph.Graph;
import io.dflink.records.Edge;

import java.util.ArrayList;
import java.util.List;

/** Small graphs over servers s0..s(m-1) for core tests. */
public final class GraphFixtures {

    private GraphFixtures() {}

    public static List<String> servers(int m) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            ids.add("s" + i);
        }
        return ids;
    }

    public static Graph ring(int m) {
        List<Edge> e = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            e.add(new Edge("s" + i, "s" + ((i + 1) % m)));
        }
        return Graph.of(servers(m), e);
    }

    public static Graph path(int m) {
        List<Edge> e = new ArrayList<>();
        for (int i = 0; i + 1 < m; i++) {
            e.add(new Edge("s" + i, "s" + (i + 1)));
        }
        return Graph.of(servers(m), e);
    }

    public static Graph star(int m) {
        List<Edge> e = new ArrayList<>();
        for (int i = 1; i < m; i++) {
            e.add(new Edge("s0", "s" + i));
        }
        return Graph.of(servers(m), e);
    }

    public static Graph complete(int m) {
        List<Edge> e = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                e.add(new Edge("s" + i, "s" + j));
            }
        }
        return Graph.of(servers(m), e);
    }
}
