package io.dflink.tools.bench;

import io.dflink.clients.AsyncDevice;
import io.dflink.clients.DevicePace;
import io.dflink.clients.FederatedClient;
import io.dflink.clients.LinearRegressionTrainer;
import io.dflink.operators.core.async.AsyncParams;
import io.dflink.operators.core.async.StalenessWeight;
import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.ScalarRegressionScenario;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The simulated clock on y = 5x + 2 with 5 servers on a ring of 5 devices each, the slowest device
 * 10x slower than the fastest: lock-step rounds wait for the slowest; asynchronous devices reach w*
 * in a fraction of that device time, two of them away for a while, with staleness reported.
 */
class TimedFederationTest {

    private static final int SERVERS = 5;
    private static final int CLIENTS = 5;
    private static final int STEPS = 20;
    private static final ScalarRegressionScenario DATA =
            new ScalarRegressionScenario(7, SERVERS, CLIENTS, 200, 0.1);

    @Test
    void shouldLetLockStepRoundsWaitForTheSlowestDevice() {
        TimedFederation f = new TimedFederation(params(null, 10), ring(), 1);
        for (int s = 0; s < SERVERS; s++) {
            for (int c = 0; c < CLIENTS; c++) {
                f.add(
                        new FederatedClient(
                                ScalarRegressionScenario.clientId(s, c),
                                ScalarRegressionScenario.serverId(s),
                                trainer(s, c),
                                STEPS),
                        pace(c));
            }
        }
        f.run(Long.MAX_VALUE, 1_000, t -> {});
        // each round: the slowest device's 20 steps of 10 ms, two hops, 3 consensus hops
        assertThat(f.now()).isGreaterThanOrEqualTo(10 * (STEPS * 10 + 2));
        assertThat(f.rejected()).isEmpty();
    }

    @Test
    void shouldConvergeWithAsynchronousDevicesOfMixedSpeedSomeAway() {
        AsyncParams async =
                new AsyncParams(
                        5,
                        5,
                        1.0,
                        new StalenessWeight(StalenessWeight.Kind.POLYNOMIAL, 0.5, 0),
                        50);
        TimedFederation f = new TimedFederation(params(async, 20), ring(), 1);
        for (int s = 0; s < SERVERS; s++) {
            for (int c = 0; c < CLIENTS; c++) {
                DevicePace pace = pace(c);
                if (c == 0 && s < 2) {
                    pace = pace.awayDuring(300, 1_500);
                }
                f.add(
                        new AsyncDevice(
                                ScalarRegressionScenario.clientId(s, c),
                                ScalarRegressionScenario.serverId(s),
                                trainer(s, c),
                                STEPS,
                                pace));
            }
        }
        f.run(Long.MAX_VALUE, 1_000, t -> {});
        for (String s : f.servers()) {
            double[] w = f.state(s).model;
            assertThat(w[0]).isCloseTo(5, within(0.02));
            assertThat(w[1]).isCloseTo(2, within(0.02));
        }
        long maxStaleness = 0;
        for (RoundMetrics m : f.metrics()) {
            maxStaleness = Math.max(maxStaleness, m.maxStaleness);
        }
        assertThat(maxStaleness).as("the slow devices' deltas are stale").isPositive();
        assertThat(f.rejected())
                .allSatisfy(
                        d ->
                                assertThat(d.reasonCode)
                                        .isEqualTo(RejectReason.BEYOND_LAST_ROUND.name()));
    }

    /** Device c's pace: 1 ms per step for c0 up to 10 ms for the last. */
    private static DevicePace pace(int c) {
        return DevicePace.steady(1 + 9.0 * c / (CLIENTS - 1));
    }

    private static LinearRegressionTrainer trainer(int s, int c) {
        return new LinearRegressionTrainer(DATA.dataset(s, c), 0.02);
    }

    private static ServerParams params(AsyncParams async, int rounds) {
        ServerParams.Builder b =
                ServerParams.builder(2)
                        .consensusSteps(3)
                        .closing(RoundClosing.count(CLIENTS))
                        .lastRound(rounds)
                        .consensusTimeoutMillis(0)
                        .encoding(VectorEncoding.F64);
        if (async != null) {
            b.algorithm(new Algorithm.AsyncDfl(async));
        }
        return b.build();
    }

    private static TopologyEvent ring() {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < SERVERS; s++) {
            ids.add(ScalarRegressionScenario.serverId(s));
        }
        return TopologyEvent.graph(0, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
    }
}
