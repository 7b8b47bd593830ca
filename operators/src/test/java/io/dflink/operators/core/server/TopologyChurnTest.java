package io.dflink.operators.core.server;

import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.testing.DflSimulation;
import io.dflink.operators.core.testing.DflSimulation.ClientData;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.Edge;
import io.dflink.records.RoundMetrics;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.dflink.operators.core.server.DflOracleTest.heterogeneousClients;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topology churn (docs/architecture.md "Topology", LinkSkips): links that flap every round, a
 * server whose clients vanish and that is then removed, and a graph that splits. No server
 * deadlocks, the mean of the participating servers is preserved to 1e-12 on every consensus step,
 * and each component of a split graph converges on its own.
 */
class TopologyChurnTest {

    private static final int STEPS = 5;

    @Test
    void shouldPreserveTheMeanOnEveryStepWhileLinksFlapAndAServerVanishes() {
        int m = 6;
        long rounds = 12;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, 3, 31);
        DflSimulation sim = simulation(m, rounds, DflOracleTest.ring(m), clients, 17L);
        int flaps = flapLinks(sim, m, rounds, new SplittableRandom(3));
        sim.silenceClients("s3", 4);
        List<String> rest = new ArrayList<>(GraphFixtures.servers(m));
        rest.remove("s3");
        sim.applyTopology(TopologyEvent.graph(8, rest, ringOver(rest)));
        flaps += flapLinks(sim, m, rounds, new SplittableRandom(4));

        sim.runWithTimeouts();

        assertThat(flaps).isGreaterThan(5);
        for (String s : rest) {
            assertThat(sim.model(s, rounds)).as("%s reached the last round", s).isNotNull();
        }
        assertThat(sim.state("s3").round)
                .as("the silent server stays where it stopped")
                .isEqualTo(4);
        int skipped = 0;
        for (RoundMetrics r : sim.metrics) {
            skipped += r.round >= 4 && r.round < 8 ? r.skippedLinks : 0;
        }
        assertThat(skipped).as("neighbours skipped the silent server's links").isPositive();
        for (long r = 0; r < rounds; r++) {
            assertMeanPreserved(sim, m, r);
        }
    }

    @Test
    void shouldLetEachComponentOfASplitGraphConvergeOnItsOwn() {
        int m = 4;
        long rounds = 12;
        Map<String, List<ClientData>> clients = heterogeneousClients(m, 2, 41);
        TopologyEvent path =
                TopologyEvent.graph(0, GraphFixtures.servers(m), GraphFixtures.path(m).edges());
        DflSimulation sim = simulation(m, rounds, path, clients, null);
        sim.applyTopology(TopologyEvent.edge(3, new Edge("s1", "s2"), false));
        sim.run();

        assertThat(sim.rejected).isEmpty();
        assertThat(Vec.distance(sim.model("s0", rounds), sim.model("s1", rounds))).isLessThan(1e-3);
        assertThat(Vec.distance(sim.model("s2", rounds), sim.model("s3", rounds))).isLessThan(1e-3);
        assertThat(Vec.distance(sim.model("s1", rounds), sim.model("s2", rounds)))
                .as("the components do not mix")
                .isGreaterThan(1e-2);
        assertThat(sim.metrics)
                .allSatisfy(r -> assertThat(r.graphComponents).isEqualTo(r.round >= 3 ? 2 : 1));
    }

    /** Mean over the servers that took part in round r, at every step 0..T_S. */
    private static void assertMeanPreserved(DflSimulation sim, int m, long r) {
        List<String> part = new ArrayList<>();
        for (String s : GraphFixtures.servers(m)) {
            if (sim.sentIterates.containsKey(r + "/0/" + s)) {
                part.add(s);
            }
        }
        if (part.isEmpty()) {
            return;
        }
        double[] start = mean(sim, part, r, 0);
        for (int step = 1; step <= STEPS; step++) {
            double[] now = mean(sim, part, r, step);
            for (int k = 0; k < start.length; k++) {
                assertThat(Math.abs(now[k] - start[k]))
                        .as("round %d step %d, participants %s", r, step, part)
                        .isLessThanOrEqualTo(1e-12 * (1 + Math.abs(start[k])));
            }
        }
    }

    private static double[] mean(DflSimulation sim, List<String> servers, long r, int step) {
        double[] sum = new double[2];
        for (String s : servers) {
            double[] v =
                    step < STEPS
                            ? sim.sentIterates.get(r + "/" + step + "/" + s)
                            : sim.model(s, r + 1);
            assertThat(v).as("%s's iterate at round %d step %d", s, r, step).isNotNull();
            Vec.axpy(1.0 / servers.size(), v, sum);
        }
        return sum;
    }

    /** Random link flips, one per round, kept only if the topology accepts them. */
    private static int flapLinks(DflSimulation sim, int m, long rounds, SplittableRandom rnd) {
        int applied = 0;
        for (long r = 1; r < rounds; r++) {
            int a = rnd.nextInt(m);
            int b = (a + 1 + rnd.nextInt(m - 1)) % m;
            Graph g = sim.topology().graphAt(r);
            Edge e = new Edge("s" + a, "s" + b);
            TopologyEvent flip = TopologyEvent.edge(r, e, !g.hasEdge(e.a, e.b));
            if (sim.topology().problemWith(flip) == null) {
                sim.applyTopology(flip);
                applied++;
            }
        }
        return applied;
    }

    private static List<Edge> ringOver(List<String> servers) {
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            edges.add(new Edge(servers.get(i), servers.get((i + 1) % servers.size())));
        }
        return edges;
    }

    private static DflSimulation simulation(
            int m,
            long rounds,
            TopologyEvent graph,
            Map<String, List<ClientData>> clients,
            Long shuffle) {
        ServerParams p =
                ServerParams.defaults(2)
                        .withConsensusSteps(STEPS)
                        .withClientsPerServer(clients.get("s0").size())
                        .withLastRound(rounds);
        return new DflSimulation(p, graph, clients, 0.05, 10, shuffle);
    }
}
