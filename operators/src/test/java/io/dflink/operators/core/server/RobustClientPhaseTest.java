package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.ClientUpdate;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A single server's client phase under each aggregation rule, with five clients of which one sends
 * a finite but outlying model with an inflated weight: the plain mean follows it, every robust rule
 * ends the round near the honest clients' models.
 */
class RobustClientPhaseTest {

    private static final double[][] HONEST = {{5.0, 2.0}, {5.1, 1.9}, {4.9, 2.1}, {5.05, 2.05}};
    private static final double[] ATTACK = {-400.0, 900.0};

    @Test
    void shouldFollowTheAttackerWithThePlainMean() {
        double[] model = roundOneModel(new Aggregation.Mean());
        assertThat(model[0]).as("the attack is real").isLessThan(-100);
    }

    @Test
    void shouldStayNearTheHonestModelsWithEveryRobustRule() {
        for (Aggregation rule :
                List.of(
                        new Aggregation.Median(),
                        new Aggregation.TrimmedMean(0.2),
                        new Aggregation.MultiKrum(1, 0),
                        new Aggregation.CenteredClipping(0.1, 10))) {
            double[] model = roundOneModel(rule);
            assertThat(model[0]).as(rule.toString()).isCloseTo(5.0, within(0.3));
            assertThat(model[1]).as(rule.toString()).isCloseTo(2.0, within(0.3));
        }
    }

    /** Round 1's model of a lone server (no neighbours) after its five clients' round-0 models. */
    private static double[] roundOneModel(Aggregation rule) {
        TopologyHistory topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, GraphFixtures.servers(1), List.of()));
        ServerParams params =
                ServerParams.builder(2)
                        .consensusSteps(0)
                        .closing(RoundClosing.count(5))
                        .aggregation(rule)
                        .build();
        // centred clipping starts from the server's model; start it where the honest clients are
        ServerState s = new ServerState();
        Server server = new Server(params);
        CollectingOutputs out = new CollectingOutputs();
        server.onInput(s, ServerInput.wake("s0"), topo, out, 0);
        s.model = new double[] {5.0, 2.0};
        for (int c = 0; c < HONEST.length; c++) {
            server.onInput(s, model("c" + c, 1, HONEST[c]), topo, out, 0);
        }
        server.onInput(s, model("evil", 1000, ATTACK), topo, out, 0);
        return out.models.get(out.models.size() - 1).vector;
    }

    private static ServerInput model(String client, double weight, double[] vector) {
        return ServerInput.of(
                ClientUpdate.model(client, "s0", 0, weight, vector),
                new SourceRef("t", 0, 0, null, new byte[0]));
    }
}
