package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.Traffic;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * FDA end to end on the production state machines without Kafka ({@link Federation}): the
 * Synchronous oracle of docs/algorithms.md §3f.5 and the communication accounting.
 */
class FdaFederationTest {

    private static final Digits.Split SPLIT = Digits.split(Digits.load(), 0.2, 1);

    private static FdaRun.Setup setup(int servers, int clientsPerServer, int rounds) {
        List<LocalDataset> shards =
                Digits.shards(
                        SPLIT.train(), servers * clientsPerServer, Digits.Sharding.LABEL_SKEW, 1);
        return new FdaRun.Setup(
                servers,
                shards,
                SPLIT.test(),
                rounds,
                3,
                16,
                0.3,
                FdaRun.OptimizerChoice.SGD,
                VectorEncoding.F64,
                7);
    }

    @Test
    void shouldReproduceSynchronousStepForStepWithNaiveAtThresholdZero() {
        FdaRun.Setup setup = setup(1, 3, 2);
        List<double[]> sync = new ArrayList<>();
        List<double[]> naive = new ArrayList<>();
        FdaRun.Outcome a =
                FdaRun.run(
                        setup,
                        FdaParams.of(FdaVariant.SYNCHRONOUS, 0, 12, 1, 3),
                        m -> sync.add(m.vector));
        FdaRun.Outcome b =
                FdaRun.run(
                        setup,
                        FdaParams.of(FdaVariant.NAIVE, 0, 12, 1, 3),
                        m -> naive.add(m.vector));
        assertThat(sync).hasSize(2 * 12 + 1);
        assertThat(naive).hasSize(sync.size());
        for (int i = 0; i < sync.size(); i++) {
            assertThat(naive.get(i)).as("model %d", i).containsExactly(sync.get(i));
        }
        assertThat(syncs(b)).isEqualTo(syncs(a)).isEqualTo(24);
        assertThat(a.wire().monitoringUp().messages).isZero();
        assertThat(b.wire().monitoringUp().messages).as("3 clients x 11 steps x 2").isEqualTo(66);
    }

    @Test
    void shouldBeSynchronousWithPeriodOne() {
        FdaRun.Setup setup = setup(1, 3, 1);
        List<double[]> sync = new ArrayList<>();
        List<double[]> periodic = new ArrayList<>();
        FdaRun.run(
                setup, FdaParams.of(FdaVariant.SYNCHRONOUS, 0, 8, 1, 3), m -> sync.add(m.vector));
        FdaRun.run(
                setup, FdaParams.of(FdaVariant.PERIODIC, 0, 8, 1, 3), m -> periodic.add(m.vector));
        assertThat(periodic).hasSameSizeAs(sync);
        for (int i = 0; i < sync.size(); i++) {
            assertThat(periodic.get(i)).containsExactly(sync.get(i));
        }
    }

    @Test
    void shouldRunDflWithTcLocalStepsUnderAnUnreachableThreshold() {
        // equal shards: DFL's sample-weighted mean is then FDA's uniform one
        List<LocalDataset> shards = new ArrayList<>();
        for (LocalDataset d : Digits.shards(SPLIT.train(), 6, Digits.Sharding.IID, 1)) {
            shards.add(
                    new LocalDataset(
                            Arrays.copyOf(d.features(), 200), Arrays.copyOf(d.targets(), 200)));
        }
        FdaRun.Setup setup =
                new FdaRun.Setup(
                        3,
                        shards,
                        SPLIT.test(),
                        3,
                        4,
                        16,
                        0.3,
                        FdaRun.OptimizerChoice.SGD,
                        VectorEncoding.F64,
                        7);
        FdaParams never = FdaParams.of(FdaVariant.LINEAR, 1e12, 15, 1, 3);
        List<ServerModel> fda = new ArrayList<>();
        FdaRun.Outcome o = FdaRun.run(setup, never, fda::add);
        List<ServerModel> dfl = new ArrayList<>();
        new Federation(
                        FdaRun.params(setup, never).withFda(null),
                        FdaRun.graph(setup),
                        FdaRun.clients(setup, never))
                .onModel(dfl::add)
                .run();
        assertThat(o.metrics()).allSatisfy(m -> assertThat(m.syncs).isEqualTo(1));
        assertThat(fda).hasSameSizeAs(dfl).hasSize(3 * 4);
        for (int i = 0; i < fda.size(); i++) {
            assertThat(fda.get(i).serverId).isEqualTo(dfl.get(i).serverId);
            assertThat(fda.get(i).round).isEqualTo(dfl.get(i).round);
            assertThat(fda.get(i).vector).containsExactly(dfl.get(i).vector, within(1e-12));
        }
    }

    @Test
    void shouldAccountExactlyWhatWentOverTheWire() {
        for (FdaVariant v : FdaVariant.values()) {
            FdaRun.Outcome o = FdaRun.run(setup(3, 2, 3), FdaParams.of(v, 0.5, 10, 4, 3), m -> {});
            assertThat(sum(o, m -> m.monitoringUp))
                    .as(v + " monitoring")
                    .isEqualTo(o.wire().monitoringUp());
            assertThat(sum(o, m -> m.modelUp)).as(v + " model up").isEqualTo(o.wire().modelUp());
            assertThat(sum(o, m -> m.modelDown))
                    .as(v + " model down")
                    .isEqualTo(o.wire().modelDown());
            assertThat(sum(o, m -> m.control)).as(v + " control").isEqualTo(o.wire().control());
            assertThat(sum(o, m -> m.consensus))
                    .as(v + " consensus")
                    .isEqualTo(o.wire().consensus());
            assertThat(o.wire().consensus().messages)
                    .as("3 servers on a ring, 2 neighbours, 3 steps, 3 rounds")
                    .isEqualTo(3 * 2 * 3 * 3);
            assertThat(o.metrics()).allSatisfy(m -> assertThat(m.localSteps).isEqualTo(10));
        }
    }

    @Test
    void shouldSyncLessOftenWithLinearThanNaiveAndWithBothThanSynchronous() {
        FdaRun.Setup setup = setup(1, 4, 2);
        long synchronous =
                syncs(
                        FdaRun.run(
                                setup, FdaParams.of(FdaVariant.SYNCHRONOUS, 0, 40, 1, 3), m -> {}));
        long naive =
                syncs(FdaRun.run(setup, FdaParams.of(FdaVariant.NAIVE, 1.0, 40, 1, 3), m -> {}));
        long linear =
                syncs(FdaRun.run(setup, FdaParams.of(FdaVariant.LINEAR, 1.0, 40, 1, 3), m -> {}));
        assertThat(synchronous).isEqualTo(80);
        assertThat(naive).isLessThan(synchronous);
        assertThat(linear).isLessThanOrEqualTo(naive).isGreaterThanOrEqualTo(2);
    }

    private static long syncs(FdaRun.Outcome o) {
        return o.metrics().stream().mapToLong(m -> m.syncs).sum();
    }

    private static Traffic sum(FdaRun.Outcome o, Function<RoundMetrics, Traffic> kind) {
        Traffic t = new Traffic();
        o.metrics().forEach(m -> t.add(kind.apply(m)));
        return t;
    }
}
