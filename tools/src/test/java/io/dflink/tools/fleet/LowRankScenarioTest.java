package io.dflink.tools.fleet;

import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.TopologyEvent;
import io.dflink.tools.bench.Federation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decentralised LoRA on the job's servers and SDK devices (4 servers on a ring, 3 devices each,
 * links active with p = 0.5) finds the low-rank correction the frozen base misses; FFA-LoRA, whose
 * A stays at its random initialisation, cannot leave A's row space and stops at the projection
 * error that this test computes independently.
 */
class LowRankScenarioTest {

    private static final LowRankScenario SCENARIO = LowRankScenario.defaults(5, 4, 3);
    private static final int ROUNDS = 60;

    @ParameterizedTest
    @EnumSource(LoraVariant.class)
    void shouldLearnTheKnownCorrectionWithAdapters(LoraVariant variant) {
        LoraParams lora =
                new LoraParams(
                        variant, 5, 0.5, 3, SCENARIO.rank(), 4, SCENARIO.rows(), SCENARIO.cols());
        Map<Long, Map<String, Double>> error = new TreeMap<>();
        new Federation(
                        ServerParams.defaults(1)
                                .withLora(lora)
                                .withClientsPerServer(3)
                                .withLastRound(ROUNDS),
                        TopologyEvent.graph(
                                0,
                                SCENARIO.serverIds(),
                                GraphShapes.edges(
                                        GraphShapes.Shape.RING, SCENARIO.serverIds(), 0, 0)),
                        SCENARIO.devices(new LowRankScenario.Training(16, 20, 0.02)))
                .onModel(
                        m ->
                                error.computeIfAbsent(m.round, r -> new TreeMap<>())
                                        .put(
                                                m.serverId,
                                                SCENARIO.relativeError(
                                                        lora.factors(m.vector), lora.scale())))
                .run();

        assertThat(error.get(0L).values()).as("B = 0 at the start").containsOnly(1.0);
        if (variant == LoraVariant.FFA_LORA) {
            double floor = projectionError(lora.factors(lora.initialModel()));
            assertThat(floor).isGreaterThan(0.5);
            assertThat(error.get((long) ROUNDS).values())
                    .allSatisfy(e -> assertThat(e).isBetween(floor - 1e-9, floor + 0.05));
        } else {
            assertThat(error.get((long) ROUNDS).values())
                    .allSatisfy(e -> assertThat(e).isLessThan(0.03));
        }
    }

    /** ||dW* (I - P)|| / ||dW*|| with P the projector on A's row space: FFA's best. */
    private static double projectionError(LoraFactors f) {
        int r = f.rank;
        int n = f.dIn;
        double[] g = new double[r * r]; // A A^T
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                for (int k = 0; k < n; k++) {
                    g[i * r + j] += f.a[i * n + k] * f.a[j * n + k];
                }
            }
        }
        assertThat(r).isEqualTo(2);
        double det = g[0] * g[3] - g[1] * g[2];
        double[] inv = {g[3] / det, -g[1] / det, -g[2] / det, g[0] / det};
        double[] dw = SCENARIO.correction();
        double residual = 0;
        double norm = 0;
        for (int row = 0; row < f.dOut; row++) {
            double[] c = new double[r]; // A dW*_row
            for (int i = 0; i < r; i++) {
                for (int k = 0; k < n; k++) {
                    c[i] += f.a[i * n + k] * dw[row * n + k];
                }
            }
            for (int k = 0; k < n; k++) {
                double projected = 0;
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < r; j++) {
                        projected += f.a[i * n + k] * inv[i * r + j] * c[j];
                    }
                }
                double d = dw[row * n + k] - projected;
                residual += d * d;
                norm += dw[row * n + k] * dw[row * n + k];
            }
        }
        return Math.sqrt(residual / norm);
    }
}
