package io.dflink.tools.bench;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.Edge;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LT-ADMM's edge variables when links come and go (docs/algorithms.md §5.2): a new edge is
 * initialised by its first exchange to z_ij = z_ji = rho (x_i + x_j) / 2, a removed edge's
 * variables are dropped, and the invariant z_ij + z_ji = rho (x_i + x_j) holds on every edge
 * throughout, so the penalties still sum to zero.
 */
class AdmmTopologyTest {

    @Test
    void shouldKeepTheInvariantWhenEdgesAppearAndDisappear() {
        AdmmParams admm = new AdmmParams(0.05, 0.02, 1.5, 0.5, 2, 4, VarianceReduction.SAGA, 3);
        AdmmScenario scenario = new AdmmScenario(4, 2, 21);
        Federation federation =
                new Federation(
                                ServerParams.defaults(AdmmScenario.DIM)
                                        .withClientsPerServer(2)
                                        .withLastRound(7)
                                        .withEncoding(VectorEncoding.F64)
                                        .withAdmm(admm),
                                scenario.graph(), // ring s0-s1-s2-s3
                                scenario.clients())
                        .change(TopologyEvent.edge(3, new Edge("s0", "s2"), true))
                        .change(TopologyEvent.edge(5, new Edge("s0", "s1"), false));
        Map<Long, Map<String, Double>> penaltySums = new HashMap<>();
        federation
                .onModel(
                        m -> {
                            if (m.step == 1) {
                                // the round's first local step is taken: its penalty is frozen
                                double[] c = federation.state(m.serverId).admm.penalty;
                                penaltySums
                                        .computeIfAbsent(m.round, r -> new HashMap<>())
                                        .put(m.serverId, c[0] + c[100] + c[649]);
                            }
                        })
                .run();
        assertThat(federation.rejected()).isEmpty();

        ServerState s0 = federation.state("s0");
        assertThat(s0.duals).as("s0-s1 removed, s0-s2 added").containsOnlyKeys("s2", "s3");
        assertThat(federation.state("s1").duals).containsOnlyKeys("s2");
        for (String i : scenario.servers()) {
            ServerState si = federation.state(i);
            si.duals.forEach(
                    (j, zij) -> {
                        double[] zji = federation.state(j).duals.get(i);
                        double[] xi = si.model;
                        double[] xj = federation.state(j).model;
                        for (int k = 0; k < zij.length; k++) {
                            assertThat(zij[k] + zji[k])
                                    .as("%s-%s [%d]", i, j, k)
                                    .isCloseTo(admm.rho() * (xi[k] + xj[k]), within(1e-12));
                        }
                    });
        }
        // every round's penalties sum to zero over the servers (the mean follows local SGD)
        penaltySums.forEach(
                (round, byServer) -> {
                    assertThat(byServer).hasSize(4);
                    double sum = byServer.values().stream().mapToDouble(Double::doubleValue).sum();
                    assertThat(sum).as("round %d", round).isCloseTo(0, within(1e-12));
                });
        assertThat(penaltySums).hasSize(7);
    }
}
