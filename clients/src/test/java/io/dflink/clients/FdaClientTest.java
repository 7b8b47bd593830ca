package io.dflink.clients;

import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ControlEvent;
import io.dflink.records.ServerModel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The device side of FDA's lock-step protocol ({@link FederatedClient} configured by its server).
 */
class FdaClientTest {

    /** Each step adds the same vector: the drift after t steps from a base is t * g. */
    private static final class ConstantStep implements LocalTrainer {
        private final double[] g;

        ConstantStep(double... g) {
            this.g = g;
        }

        @Override
        public void step(double[] w) {
            for (int i = 0; i < w.length; i++) {
                w[i] += g[i];
            }
        }

        @Override
        public int sampleCount() {
            return 10;
        }
    }

    private final FederatedClient client =
            new FederatedClient("c1", "s1", new ConstantStep(1, 2), 99);

    @Test
    void shouldReportEachStepAndFollowTheServersDecisions() {
        List<ClientUpdate> first = client.onServerModel(roundModel(0, FdaVariant.NAIVE, 4, 0));
        assertThat(first).extracting(u -> u.type).containsExactly("join", "fda-state");
        ClientUpdate s1 = first.get(1);
        assertThat(s1.step).isEqualTo(1);
        assertThat(s1.sqNorm).isEqualTo(5);

        List<ClientUpdate> next = client.onControl(decision(false, 0, 1));
        assertThat(next).singleElement().satisfies(u -> assertThat(u.sqNorm).isEqualTo(20));
        assertThat(client.onControl(decision(false, 0, 1))).as("re-delivered").isEmpty();

        List<ClientUpdate> upload = client.onControl(decision(true, 0, 2));
        assertThat(upload)
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.isModel()).isTrue();
                            assertThat(u.step).isEqualTo(2);
                            assertThat(u.vector).containsExactly(2, 4);
                        });
        assertThat(client.onControl(decision(false, 0, 2))).as("waits for the average").isEmpty();

        ServerModel average = new ServerModel("s1", 0, new double[] {10, 10});
        average.step = 2;
        List<ClientUpdate> afterSync = client.onServerModel(average);
        assertThat(afterSync)
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.step).isEqualTo(3);
                            assertThat(u.sqNorm).as("drift from the new base only").isEqualTo(5);
                        });
        assertThat(client.onServerModel(average)).as("re-delivered average").isEmpty();

        // after the last step (4) the model goes up without a decision
        assertThat(client.onControl(decision(false, 0, 3)))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.isModel()).isTrue();
                            assertThat(u.step).isEqualTo(4);
                            assertThat(u.vector).containsExactly(12, 14);
                        });
    }

    @Test
    void shouldProjectOnTheDirectionOfTheLastTwoBasesAndKeepItUntilASync() {
        client.onServerModel(roundModel(0, FdaVariant.LINEAR, 10, 0));
        ServerModel sync = new ServerModel("s1", 0, new double[] {3, 4});
        sync.step = 1;
        client.onControl(decision(true, 0, 1));
        // bases (0,0) -> (3,4): xi = (0.6, 0.8); drift after one step = (1, 2): <xi, drift> = 2.2
        ClientUpdate s2 = client.onServerModel(sync).get(0);
        assertThat(s2.projection).isCloseTo(2.2, within(1e-12));
        ClientUpdate s3 = client.onControl(decision(false, 0, 2)).get(0);
        assertThat(s3.projection).as("same xi, twice the drift").isCloseTo(4.4, within(1e-12));
    }

    @Test
    void shouldUploadOnTheScheduleWithoutStatesAsPeriodicClients() {
        List<ClientUpdate> first = client.onServerModel(roundModel(0, FdaVariant.PERIODIC, 5, 2));
        assertThat(first).extracting(u -> u.type).containsExactly("join", "model");
        assertThat(first.get(1).step).isEqualTo(2);
        ServerModel avg = new ServerModel("s1", 0, new double[] {0, 0});
        avg.step = 2;
        assertThat(client.onServerModel(avg))
                .singleElement()
                .satisfies(u -> assertThat(u.step).isEqualTo(4));
        avg.step = 4;
        assertThat(client.onServerModel(avg))
                .singleElement()
                .satisfies(u -> assertThat(u.step).isEqualTo(5));
    }

    @Test
    void shouldLetAClientThatFellBehindCatchUpOnALaterAverage() {
        client.onServerModel(roundModel(0, FdaVariant.NAIVE, 10, 0));
        ServerModel later = new ServerModel("s1", 0, new double[] {1, 1});
        later.step = 5;
        assertThat(client.onServerModel(later))
                .singleElement()
                .satisfies(
                        u -> {
                            assertThat(u.step).isEqualTo(6);
                            assertThat(u.sqNorm).isEqualTo(5);
                        });
    }

    @Test
    void shouldRunDflsLocalStepsWithoutFdaSettings() {
        List<ClientUpdate> events = client.onServerModel(new ServerModel("s1", 0, new double[2]));
        assertThat(events.get(1).vector).containsExactly(99, 198);
        assertThat(events.get(1).step).isZero();
    }

    private static ServerModel roundModel(
            long round, FdaVariant variant, int steps, int period, double... v) {
        ServerModel m = new ServerModel("s1", round, v.length == 0 ? new double[2] : v);
        m.fda = FdaParams.of(variant, 0, steps, Math.max(period, 1), 3).settings();
        return m;
    }

    private static ControlEvent decision(boolean sync, long round, int step) {
        return new ControlEvent(
                sync ? ControlEvent.FDA_SYNC : ControlEvent.FDA_CONTINUE, "s1", round, step, 0);
    }
}
