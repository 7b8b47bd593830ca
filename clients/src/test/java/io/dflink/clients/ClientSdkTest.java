package io.dflink.clients;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ServerModel;
import io.dflink.security.ClientKeys;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The device SDK: local trainers and the client side of the round protocol, without Flink. */
class ClientSdkTest {

    @Test
    void shouldSignUpdatesSoThatOnlyTheirOwnServerAcceptsThem() {
        byte[] key = ClientKeys.newKey(new java.security.SecureRandom());
        ClientKeys keys = ClientKeys.of(Map.of("c1", new ClientKeys.Entry("s0", key)));
        ClientUpdate own = ClientUpdate.model("c1", "s0", 3, 10, new double[] {1, 2});
        ClientUpdate foreign = ClientUpdate.model("c1", "s1", 3, 10, new double[] {1, 2});

        var ownRecord = ClientRuntime.record("t", own, UpdateFormat.JSON, VectorEncoding.F64, keys);
        var foreignRecord =
                ClientRuntime.record("t", foreign, UpdateFormat.JSON, VectorEncoding.F64, keys);
        byte[] signature = ownRecord.headers().lastHeader(ClientKeys.SIGNATURE_HEADER).value();

        assertThat(keys.check("c1", "s0", ownRecord.value(), signature)).isNull();
        assertThat(
                        keys.check(
                                "c1",
                                "s1",
                                foreignRecord.value(),
                                foreignRecord
                                        .headers()
                                        .lastHeader(ClientKeys.SIGNATURE_HEADER)
                                        .value()))
                .extracting(ClientKeys.Refusal::authenticated)
                .isEqualTo(true);
        byte[] tampered = ownRecord.value().clone();
        tampered[tampered.length - 2] ^= 1;
        assertThat(keys.check("c1", "s0", tampered, signature).authenticated()).isFalse();
        assertThat(keys.check("c1", "s0", ownRecord.value(), null).authenticated()).isFalse();
        assertThat(
                        ClientRuntime.record(
                                        "t",
                                        own,
                                        UpdateFormat.JSON,
                                        VectorEncoding.F64,
                                        ClientKeys.none())
                                .headers()
                                .lastHeader(ClientKeys.SIGNATURE_HEADER))
                .isNull();
    }

    @Test
    void shouldRunWithoutFlinkOnTheClasspath() {
        assertThatThrownBy(
                        () ->
                                Class.forName(
                                        "org.apache.flink.streaming.api.environment.StreamExecutionEnvironment"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void shouldFitLinearRegressionByGradientDescent() {
        LocalDataset data = line(200, 1);
        double[] w = new LinearRegressionTrainer(data, 0.1).train(new double[2], 5000);
        assertThat(w[0]).isCloseTo(5, within(0.05));
        assertThat(w[1]).isCloseTo(2, within(0.05));
    }

    @Test
    void shouldSeparateClassesWithLogisticRegression() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[][] x = new double[200][];
        double[] y = new double[200];
        for (int k = 0; k < 200; k++) {
            double v = 4 * rnd.nextDouble() - 2;
            x[k] = new double[] {v, 1};
            y[k] = v > 0.5 ? 1 : 0;
        }
        LogisticRegressionTrainer t = new LogisticRegressionTrainer(new LocalDataset(x, y), 1.0);
        double[] w = t.train(new double[2], 2000);
        int correct = 0;
        for (int k = 0; k < 200; k++) {
            double p = LogisticRegressionTrainer.sigmoid(w[0] * x[k][0] + w[1]);
            correct += (p > 0.5) == (y[k] == 1) ? 1 : 0;
        }
        assertThat(correct).isGreaterThanOrEqualTo(195);
        assertThat(-w[1] / w[0]).as("decision boundary").isCloseTo(0.5, within(0.1));
    }

    @Test
    void shouldJoinThenAnswerEachNewModelOnceAndNeverTheLast() {
        FederatedClient c =
                new FederatedClient("c1", "s1", new LinearRegressionTrainer(line(20, 2), 0.1), 3);
        ServerModel m0 = new ServerModel("s1", 0, new double[2]);
        List<ClientUpdate> first = c.onServerModel(m0);
        assertThat(first).extracting(u -> u.type).containsExactly("join", "model");
        assertThat(first.get(1).round).isZero();
        assertThat(first.get(1).weight).isEqualTo(20);
        assertThat(first.get(1).serverId).isEqualTo("s1");
        assertThat(c.onServerModel(m0)).as("re-delivered").isEmpty();
        assertThat(c.onServerModel(new ServerModel("s2", 1, new double[2])))
                .as("other server")
                .isEmpty();
        assertThat(c.onServerModel(new ServerModel("s1", 1, new double[2])))
                .extracting(u -> u.type)
                .containsExactly("model");
        ServerModel last = new ServerModel("s1", 2, new double[2]);
        last.last = true;
        assertThat(c.onServerModel(last)).isEmpty();
    }

    @Test
    void shouldRefuseAModelOfTheWrongSize() {
        LinearRegressionTrainer t = new LinearRegressionTrainer(line(5, 4), 0.1);
        assertThatThrownBy(() -> t.train(new double[3], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LocalDataset line(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int k = 0; k < n; k++) {
            double v = 2 * rnd.nextDouble() - 1;
            x[k] = new double[] {v, 1};
            y[k] = 5 * v + 2 + 0.01 * (rnd.nextDouble() - 0.5);
        }
        return new LocalDataset(x, y);
    }
}
