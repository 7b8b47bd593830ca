package io.dflink.clients;

import io.dflink.records.AsyncSettings;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ServerModel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An asynchronous device's life on a given clock: train, wait its pace, upload, start again. */
class AsyncDeviceTest {

    /** A trainer that adds 1 to every coordinate per step, so a delta is exactly the step count. */
    private static final LocalTrainer PLUS_ONE =
            new LocalTrainer() {
                @Override
                public void step(double[] w) {
                    for (int j = 0; j < w.length; j++) {
                        w[j] += 1;
                    }
                }

                @Override
                public int sampleCount() {
                    return 7;
                }
            };

    @Test
    void shouldUploadTheDeltaOfItsBaseVersionOnceItsPaceSaysTrainingIsDone() {
        AsyncDevice d = new AsyncDevice("c0", "s0", PLUS_ONE, 3, DevicePace.steady(10));
        assertThat(d.poll(0)).as("no model yet").isNull();
        d.onServerModel(model(4, 2, false));
        assertThat(d.poll(0)).as("starts training").isNull();
        assertThat(d.readyAtMillis()).isEqualTo(30);
        d.onServerModel(model(5, 2, false)); // a newer version while it trains
        assertThat(d.poll(29)).isNull();
        ClientUpdate u = d.poll(30);
        assertThat(u.isDelta()).isTrue();
        assertThat(u.baseVersion).isEqualTo(4);
        assertThat(u.weight).isEqualTo(7);
        assertThat(u.vector).containsExactly(3, 3);
        assertThat(d.poll(30)).isNull();
        assertThat(d.readyAtMillis()).as("started again from version 5").isEqualTo(60);
        assertThat(d.poll(60).baseVersion).isEqualTo(5);
    }

    @Test
    void shouldNeitherStartNorUploadWhileAwayAndIgnoreLockStepModels() {
        DevicePace pace = DevicePace.steady(10).awayDuring(20, 50);
        assertThat(pace.onlineFrom(25)).isEqualTo(50);
        assertThat(pace.onlineFrom(10)).isEqualTo(10);
        AsyncDevice d = new AsyncDevice("c0", "s0", PLUS_ONE, 3, pace);
        ServerModel lockStep = model(0, 2, false);
        lockStep.async = null;
        d.onServerModel(lockStep);
        d.poll(0);
        assertThat(d.readyAtMillis()).as("a lock-step model is no work").isEqualTo(-1);
        d.onServerModel(model(1, 2, false));
        d.poll(0);
        assertThat(d.poll(30)).as("away").isNull();
        assertThat(d.poll(50).baseVersion).isEqualTo(1);
        d.onServerModel(model(9, 2, true));
        assertThat(d.poll(100)).isNull();
        assertThat(d.finished()).isTrue();
    }

    @Test
    void shouldSpreadSeededLogNormalPaces() {
        List<DevicePace> a = DevicePace.logNormal(200, 10, 1.0, 3);
        assertThat(a).isEqualTo(DevicePace.logNormal(200, 10, 1.0, 3));
        double min = Double.MAX_VALUE;
        double max = 0;
        for (DevicePace p : a) {
            min = Math.min(min, p.millisPerStep());
            max = Math.max(max, p.millisPerStep());
        }
        assertThat(max / min).as("sigma 1 spreads 200 devices widely").isGreaterThan(20);
        assertThat(DevicePace.logNormal(5, 10, 0, 3))
                .allSatisfy(p -> assertThat(p.millisPerStep()).isEqualTo(10));
    }

    private static ServerModel model(long version, int dim, boolean last) {
        ServerModel m = new ServerModel("s0", 0, new double[dim]);
        m.version = version;
        m.last = last;
        m.async = last ? null : new AsyncSettings();
        return m;
    }
}
