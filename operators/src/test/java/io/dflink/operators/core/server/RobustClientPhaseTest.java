package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.testing.CollectingOutputs;
import io.dflink.operators.core.testing.GraphFixtures;
import io.dflink.records.ClientUpdate;
import io.dflink.records.RoundMetrics;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A single server's client phase under each aggregation rule, with five clients of which one sends
 * a finite but outlying model with an inflated weight: the unbounded plain mean follows it, the
 * default bounded influence limits how far, every robust rule ends the round near the honest
 * clients' models; refused outliers are dead-lettered and reported.
 */
class RobustClientPhaseTest {

    private static final double[][] HONEST = {{5.0, 2.0}, {5.1, 1.9}, {4.9, 2.1}, {5.05, 2.05}};
    private static final double[] ATTACK = {-400.0, 900.0};

    @Test
    void shouldFollowTheAttackerWithTheUnboundedPlainMean() {
        double[] model = roundOne(new Aggregation.Mean(), InfluenceBound.none()).model();
        assertThat(model[0]).as("the attack is real").isLessThan(-100);
    }

    @Test
    void shouldBoundTheAttackersWeightAndDistanceByDefault() {
        Round r = roundOne(new Aggregation.Mean(), InfluenceBound.defaults());
        // weight 1000 -> 10 x the median weight 1; the attack pulled in to 10 x the median
        // distance from the server's model (5, 2), which is that of (5.1, 1.9)
        double[] centre = {5.0, 2.0};
        double radius = 10 * Math.hypot(0.1, 0.1);
        double f = radius / Math.hypot(ATTACK[0] - centre[0], ATTACK[1] - centre[1]);
        double[] expected = new double[2];
        for (int j = 0; j < 2; j++) {
            for (double[] h : HONEST) {
                expected[j] += h[j];
            }
            expected[j] += 10 * (centre[j] + f * (ATTACK[j] - centre[j]));
            expected[j] /= HONEST.length + 10;
        }
        assertThat(r.model()).containsExactly(expected, within(1e-12));
        assertThat(Vec.distance(r.model(), centre)).as("limited, not removed").isBetween(0.5, 1.1);
        assertThat(r.metrics().weightBounded).containsExactly("evil");
        assertThat(r.metrics().clipped).containsExactly("evil");
        assertThat(r.metrics().refused).isEmpty();
        assertThat(r.out().rejected).isEmpty();
    }

    @Test
    void shouldRefuseTheOutlierAndDeadLetterItWhenAsked() {
        Round r =
                roundOne(
                        new Aggregation.Mean(),
                        new InfluenceBound(10, 10, InfluenceBound.Action.REFUSE));
        assertThat(r.metrics().refused).containsExactly("evil");
        assertThat(r.metrics().clipped).isEmpty();
        assertThat(r.out().rejected)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.reasonCode).isEqualTo("OUTLIER");
                            assertThat(d.reason).contains("evil").contains("median distance");
                            assertThat(d.original).containsExactly(EVIL_BYTES);
                        });
        // the honest models' plain mean, as if the outlier had never been sent
        double[] mean = new double[2];
        for (double[] h : HONEST) {
            mean[0] += h[0] / HONEST.length;
            mean[1] += h[1] / HONEST.length;
        }
        assertThat(r.model()).containsExactly(mean, within(1e-12));
        assertThat(r.out().models.get(r.out().models.size() - 1).clientsAggregated).isEqualTo(4);
    }

    @Test
    void shouldReportWhomMultiKrumDiscardedAndCentredClippingClipped() {
        assertThat(roundOne(new Aggregation.MultiKrum(1, 0), InfluenceBound.none()).metrics())
                .satisfies(m -> assertThat(m.discarded).containsExactly("evil"));
        assertThat(
                        roundOne(new Aggregation.CenteredClipping(0.1, 10), InfluenceBound.none())
                                .metrics()
                                .clipped)
                .contains("evil");
    }

    @Test
    void shouldStayNearTheHonestModelsWithEveryRobustRule() {
        for (Aggregation rule :
                List.of(
                        new Aggregation.Median(),
                        new Aggregation.TrimmedMean(0.2),
                        new Aggregation.MultiKrum(1, 0),
                        new Aggregation.CenteredClipping(0.1, 10))) {
            double[] model = roundOne(rule, InfluenceBound.defaults()).model();
            assertThat(model[0]).as(rule.toString()).isCloseTo(5.0, within(0.3));
            assertThat(model[1]).as(rule.toString()).isCloseTo(2.0, within(0.3));
        }
    }

    @Test
    void shouldApplyTheRuleToFdasSyncAverage() {
        ServerParams fda =
                ServerParams.builder(2)
                        .consensusSteps(0)
                        .closing(RoundClosing.count(5))
                        .aggregation(new Aggregation.Median())
                        .algorithm(new Algorithm.Dfl(FdaParams.of(FdaVariant.PERIODIC, 0, 1, 1, 1)))
                        .build();
        TopologyHistory topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, GraphFixtures.servers(1), List.of()));
        ServerState s = new ServerState();
        Server server = new Server(fda);
        CollectingOutputs out = new CollectingOutputs();
        server.onInput(s, ServerInput.wake("s0"), topo, out, 0);
        for (int c = 0; c < HONEST.length; c++) {
            server.onInput(s, syncModel("c" + c, HONEST[c]), topo, out, 0);
        }
        server.onInput(s, syncModel("evil", ATTACK), topo, out, 0);
        // the coordinate-wise median of the five, the attacker's values at the extremes
        assertThat(out.models.get(out.models.size() - 1).vector)
                .containsExactly(new double[] {5.0, 2.05}, within(1e-12));
    }

    private static ServerInput syncModel(String client, double[] vector) {
        return ServerInput.of(
                ClientUpdate.model(client, "s0", 0, 1, 1, vector),
                new SourceRef("t", 0, 0, null, new byte[0]));
    }

    private record Round(double[] model, RoundMetrics metrics, CollectingOutputs out) {}

    /** Round 1 of a lone server (no neighbours) after its five clients' round-0 models. */
    private static Round roundOne(Aggregation rule, InfluenceBound bound) {
        TopologyHistory topo = new TopologyHistory();
        topo.apply(TopologyEvent.graph(0, GraphFixtures.servers(1), List.of()));
        ServerParams params =
                ServerParams.builder(2)
                        .consensusSteps(0)
                        .closing(RoundClosing.count(5))
                        .aggregation(rule)
                        .bound(bound)
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
        return new Round(out.models.get(out.models.size() - 1).vector, out.metrics.get(0), out);
    }

    private static final byte[] EVIL_BYTES = {'e', 'v', 'i', 'l'};

    private static ServerInput model(String client, double weight, double[] vector) {
        byte[] bytes = client.equals("evil") ? EVIL_BYTES : new byte[0];
        return ServerInput.of(
                ClientUpdate.model(client, "s0", 0, weight, vector),
                new SourceRef("t", 0, 0, null, bytes));
    }
}
