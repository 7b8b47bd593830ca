package io.dflink.tools.fleet;

import io.dflink.operators.core.graph.Graph;
import io.dflink.records.Edge;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphShapesTest {

    @Test
    void shouldGiveEveryServerTheDegreeInRandomRegularGraphsWithoutRepeatedEdgesAndStayConnected() {
        for (int m : new int[] {5, 16, 64, 256}) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < m; i++) {
                ids.add("s" + i);
            }
            List<Edge> edges = GraphShapes.randomRegular(ids, 4, m);
            Set<String> distinct = new HashSet<>();
            for (Edge e : edges) {
                assertThat(e.a).isNotEqualTo(e.b);
                distinct.add(e.a.compareTo(e.b) < 0 ? e.a + "|" + e.b : e.b + "|" + e.a);
            }
            assertThat(distinct).as("no edge twice").hasSize(edges.size());
            Graph g = Graph.of(ids, edges);
            for (String s : ids) {
                assertThat(g.degree(s)).as("%s of %d", s, m).isEqualTo(4);
            }
            assertThat(g.components()).isEqualTo(1);
            assertThat(GraphShapes.randomRegular(ids, 4, m))
                    .as("seeded")
                    .extracting(Edge::id)
                    .isEqualTo(edges.stream().map(Edge::id).toList());
        }
    }

    @Test
    void shouldRefuseRandomRegularDegreesItCannotBuild() {
        List<String> ids = List.of("a", "b", "c", "d");
        assertThatThrownBy(() -> GraphShapes.randomRegular(ids, 3, 1))
                .hasMessageContaining("even degree");
        assertThatThrownBy(() -> GraphShapes.randomRegular(ids, 4, 1))
                .hasMessageContaining("below the server count 4");
    }
}
