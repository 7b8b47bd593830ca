package io.dflink.operators.core.graph;

import io.dflink.operators.core.math.Linalg;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.Edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Metropolis-Hastings weights and the consensus quality sigma_A of docs/algorithms.md §1f.2. */
class MixingWeightsTest {

    @Test
    void shouldBeSymmetricDoublyStochasticWithPositiveDiagonal() {
        for (Graph g :
                List.of(
                        GraphFixtures.ring(5),
                        GraphFixtures.path(5),
                        GraphFixtures.star(5),
                        GraphFixtures.complete(5),
                        GraphFixtures.ring(7),
                        GraphFixtures.star(9))) {
            double[][] a = MixingWeights.matrix(g);
            for (int i = 0; i < a.length; i++) {
                double row = 0;
                double col = 0;
                for (int j = 0; j < a.length; j++) {
                    assertThat(a[i][j]).isEqualTo(a[j][i]).isGreaterThanOrEqualTo(0);
                    row += a[i][j];
                    col += a[j][i];
                }
                assertThat(row).isCloseTo(1, within(1e-12));
                assertThat(col).isCloseTo(1, within(1e-12));
                assertThat(a[i][i]).isPositive();
            }
        }
    }

    @Test
    void shouldMatchTheReferenceMatricesOfTheSpec() {
        double[][] ring = MixingWeights.matrix(GraphFixtures.ring(5));
        assertThat(ring[0])
                .containsExactly(new double[] {1 / 3., 1 / 3., 0, 0, 1 / 3.}, within(1e-15));
        double[][] path = MixingWeights.matrix(GraphFixtures.path(5));
        assertThat(path[0]).containsExactly(new double[] {2 / 3., 1 / 3., 0, 0, 0}, within(1e-15));
        assertThat(path[1])
                .containsExactly(new double[] {1 / 3., 1 / 3., 1 / 3., 0, 0}, within(1e-15));
        double[][] star = MixingWeights.matrix(GraphFixtures.star(5));
        assertThat(star[0]).containsExactly(new double[] {.2, .2, .2, .2, .2}, within(1e-15));
        assertThat(star[1]).containsExactly(new double[] {.2, .8, 0, 0, 0}, within(1e-15));
        assertThat(MixingWeights.matrix(GraphFixtures.complete(5))[3])
                .containsExactly(new double[] {.2, .2, .2, .2, .2}, within(1e-15));
    }

    @ParameterizedTest(name = "{0}, T_S = {1}: sigma_A = {2}")
    @CsvSource({
        "path, 1, 0.872678", "path, 5, 0.506139", "path, 25, 3.32163e-2",
        "ring, 1, 0.539345", "ring, 5, 4.56386e-2", "ring, 25, 1.98e-7",
        "star, 1, 0.8", "star, 5, 0.32768", "star, 25, 3.77789e-3",
        "complete, 1, 0", "complete, 5, 0", "complete, 25, 0"
    })
    void shouldReproduceTheSigmaTable(String shape, int steps, double expected) {
        Graph g =
                switch (shape) {
                    case "path" -> GraphFixtures.path(5);
                    case "ring" -> GraphFixtures.ring(5);
                    case "star" -> GraphFixtures.star(5);
                    default -> GraphFixtures.complete(5);
                };
        double[][] p = Linalg.power(MixingWeights.matrix(g), steps);
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                p[i][j] -= 1.0 / p.length;
            }
        }
        double sigma = Linalg.symmetricSpectralNorm(p);
        // the table has six significant digits; ring T_S=25 has three
        double tolerance = expected < 1e-5 ? 1e-9 : 1e-6;
        assertThat(sigma).isCloseTo(expected, within(tolerance));
    }

    @Test
    void shouldUseValidExplicitWeightsAndRejectInvalidOnes() {
        List<String> s = GraphFixtures.servers(3);
        Graph ok = Graph.of(s, List.of(new Edge("s0", "s1", .5), new Edge("s1", "s2", .25)));
        assertThat(MixingWeights.explicitWeightProblem(ok)).isNull();
        assertThat(MixingWeights.row(ok, "s1").self()).isCloseTo(.25, within(1e-15));

        Graph tooHeavy = Graph.of(s, List.of(new Edge("s0", "s1", .6), new Edge("s1", "s2", .4)));
        assertThat(MixingWeights.explicitWeightProblem(tooHeavy)).contains("not doubly stochastic");
        Graph negative = Graph.of(s, List.of(new Edge("s0", "s1", -.1), new Edge("s1", "s2", .4)));
        assertThat(MixingWeights.explicitWeightProblem(negative)).contains("not in (0, 1)");
    }

    @Test
    void shouldFallBackToMetropolisHastingsWhenALinkHasNoWeight() {
        List<String> s = GraphFixtures.servers(3);
        Graph partial = Graph.of(s, List.of(new Edge("s0", "s1", .5), new Edge("s1", "s2")));
        assertThat(partial.hasExplicitWeights()).isFalse();
        assertThat(MixingWeights.weight(partial, "s0", "s1")).isCloseTo(1 / 3., within(1e-15));
    }
}
