package io.dflink.operators.core.server;

import io.dflink.operators.core.Phase;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.operators.core.testing.DflSimulation;
import io.dflink.operators.core.testing.DflSimulation.ClientData;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.Edge;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dflink.operators.core.server.DflOracleTest.heterogeneousClients;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servers that join a running federation start from their established neighbours' models of the
 * join round, weighted as the mixing matrix says; a removed server hands nothing on and its
 * neighbours re-weight; the grown and shrunk ring converges, under DFL and under server-tier FDA.
 */
class JoiningServerTest {

    private static final long ROUNDS = 14;
    private static final long GROW = 4;
    private static final long SHRINK = 9;

    @Test
    void shouldStartAJoinerFromItsNeighboursWeightedMeanAndConvergeAfterGrowingAndShrinking() {
        DflSimulation sim = growAndShrink(ServerFdaParams.always(), null);
        sim.run();

        assertThat(sim.rejected).isEmpty();
        Graph grown = sim.topology().graphAt(GROW);
        for (String joiner : List.of("s4", "s5")) {
            assertThat(sim.model(joiner, GROW - 1)).as("no model before it joins").isNull();
            double[] expected = weightedMean(sim, grown, joiner);
            assertThat(Vec.distance(sim.model(joiner, GROW), expected)).isLessThan(1e-12);
            assertThat(Vec.norm(sim.model(joiner, GROW))).as("not from zero").isGreaterThan(1);
        }
        assertThat(sim.state("s2").round).as("the removed server is left alone").isLessThan(ROUNDS);
        double[] first = sim.model("s0", ROUNDS);
        for (String s : List.of("s0", "s1", "s3", "s4", "s5")) {
            assertThat(sim.state(s).phase).isEqualTo(Phase.DONE);
            assertThat(Vec.distance(sim.model(s, ROUNDS), first)).as(s).isLessThan(1e-3);
        }
    }

    @Test
    void shouldJoinAlikeWhateverTheDeliveryOrderAndUnderServerTierFda() {
        DflSimulation fifo = growAndShrink(ServerFdaParams.variance(0.05, 3), null);
        DflSimulation shuffled = growAndShrink(ServerFdaParams.variance(0.05, 3), 5L);
        fifo.run();
        shuffled.run();

        assertThat(fifo.rejected).isEmpty();
        for (String s : List.of("s0", "s1", "s3", "s4", "s5")) {
            assertThat(shuffled.model(s, ROUNDS)).isEqualTo(fifo.model(s, ROUNDS));
        }
        Graph grown = fifo.topology().graphAt(GROW);
        assertThat(Vec.distance(fifo.model("s4", GROW), weightedMean(fifo, grown, "s4")))
                .isLessThan(1e-12);
    }

    /** A ring of 4; s4 and s5 join at round 4 (ring of 6); s2 leaves at round 9 (ring of 5). */
    private static DflSimulation growAndShrink(ServerFdaParams fda, Long shuffle) {
        Map<String, List<ClientData>> clients = heterogeneousClients(6, 3, 23);
        ServerParams p =
                ServerParams.builder(2)
                        .consensusSteps(5)
                        .lastRound(ROUNDS)
                        .serverFda(fda)
                        .build()
                        .withClientsPerServer(3);
        DflSimulation sim =
                new DflSimulation(
                        p,
                        TopologyEvent.graph(
                                0, GraphFixtures.servers(4), GraphFixtures.ring(4).edges()),
                        clients,
                        0.05,
                        10,
                        shuffle);
        List<String> six = List.of("s0", "s1", "s4", "s2", "s3", "s5");
        sim.applyTopology(TopologyEvent.graph(GROW, six, ringOver(six)));
        List<String> five = List.of("s0", "s1", "s4", "s3", "s5");
        sim.applyTopology(TopologyEvent.graph(SHRINK, five, ringOver(five)));
        sim.silenceClients("s2", SHRINK);
        sim.addServer("s4");
        sim.addServer("s5");
        return sim;
    }

    private static double[] weightedMean(DflSimulation sim, Graph graph, String joiner) {
        Graph before = sim.topology().graphAt(GROW - 1);
        double total = 0;
        double[] sum = new double[2];
        for (String n : graph.neighbours(joiner)) {
            if (before.contains(n)) {
                double w = MixingWeights.weight(graph, joiner, n);
                Vec.axpy(w, sim.model(n, GROW), sum);
                total += w;
            }
        }
        Vec.scale(1 / total, sum);
        return sum;
    }

    private static List<Edge> ringOver(List<String> servers) {
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            edges.add(new Edge(servers.get(i), servers.get((i + 1) % servers.size())));
        }
        return edges;
    }
}
