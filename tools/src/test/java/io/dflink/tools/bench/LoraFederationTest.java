package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraMixing;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.tools.report.LoraRounds;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Decentralised LoRA on the job's state machines and the SDK's devices, every event encoded as on
 * the wire ({@link Federation}), against the single-process reference of the algorithm ({@link
 * LoraRun}): with one device per server the servers' factors, the cross term of every round and the
 * floats sent are the reference's, for every variant.
 */
class LoraFederationTest {

    private static final Digits.Split SPLIT = Digits.split(Digits.load(), 0.2, 4);
    private static final double[] BASE = LoraBenchmark.base(SPLIT.train());
    private static final int ROUNDS = 6;

    @ParameterizedTest
    @EnumSource(LoraVariant.class)
    void shouldReproduceTheReferenceRunWithStreamingServers(LoraVariant variant) {
        LoraRun.Setup setup = setup(variant);
        LoraRun.Trace reference = LoraRun.run(setup);

        Map<Long, Map<String, double[]>> models = new TreeMap<>();
        LoraRounds watch = new LoraRounds();
        List<LoraRounds.Round> watched = new ArrayList<>();
        Federation f =
                new Federation(LoraRun.params(setup), LoraRun.graph(setup), LoraRun.devices(setup))
                        .onModel(
                                m -> {
                                    models.computeIfAbsent(m.round, r -> new TreeMap<>())
                                            .put(m.serverId, m.vector);
                                    LoraRounds.Round r = watch.accept(m);
                                    if (r != null) {
                                        watched.add(r);
                                    }
                                });
        f.run();

        assertThat(f.rejected()).isEmpty();
        LoraParams p = LoraRun.loraParams(setup);
        List<String> ids = LoraRun.peerIds(setup.peers().size());
        for (int i = 0; i < ids.size(); i++) {
            double[] expected = p.vector(reference.finalFactors().get(i));
            double[] actual = models.get((long) ROUNDS).get(ids.get(i));
            for (int k = 0; k < expected.length; k++) {
                assertThat(actual[k])
                        .as("%s[%d]", ids.get(i), k)
                        .isCloseTo(expected[k], within(1e-9));
            }
        }
        for (int t = 0; t < ROUNDS; t++) {
            List<LoraFactors> round = new ArrayList<>();
            for (double[] v : models.get(t + 1L).values()) {
                round.add(p.factors(v));
            }
            assertThat(LoraMixing.frobenius(LoraMixing.crossTerm(round)))
                    .as("||C_%d||", t)
                    .isCloseTo(reference.crossTerm()[t], within(1e-9));
        }
        assertThat(watched).as("what dflink watch prints").hasSize(ROUNDS);
        for (LoraRounds.Round r : watched) {
            int t = (int) r.round() - 1;
            assertThat(r.servers()).isEqualTo(setup.peers().size());
            assertThat(r.crossTerm()).isCloseTo(reference.crossTerm()[t], within(1e-9));
            assertThat(r.disagreementA()).isCloseTo(reference.disagreementA()[t], within(1e-9));
            assertThat(r.disagreementB()).isCloseTo(reference.disagreementB()[t], within(1e-9));
        }
        long valuesSent = f.metrics().stream().mapToLong(m -> m.consensusValuesSent).sum();
        assertThat(valuesSent).isEqualTo(reference.floatsSent());
        assertThat(f.metrics().stream().mapToLong(m -> m.consensusMessagesSent).sum())
                .isEqualTo(f.wire().consensus().messages);
    }

    @ParameterizedTest
    @EnumSource(
            value = LoraVariant.class,
            names = {"TAD_LORA_NO_JOINT", "FFA_LORA", "ROLORA"})
    void activeOnlyVariantsUploadAndSendOneFactor(LoraVariant variant) {
        LoraRun.Setup setup = setup(variant);
        LoraParams p = LoraRun.loraParams(setup);
        List<ServerModel> seen = new ArrayList<>();
        Federation f =
                new Federation(LoraRun.params(setup), LoraRun.graph(setup), LoraRun.devices(setup))
                        .onModel(seen::add);
        f.run();
        long ups = f.wire().modelUp().messages;
        assertThat(ups).isEqualTo((long) ROUNDS * setup.peers().size());
        // each upload and each message holds B (10 x 4) or A (4 x 64), never both
        long maxFactor = Math.max(p.aLength(), p.bLength());
        for (RoundMetrics m : f.metrics()) {
            assertThat(m.consensusValuesSent)
                    .isLessThanOrEqualTo(m.consensusMessagesSent * maxFactor);
        }
        assertThat(seen).allSatisfy(m -> assertThat(m.vector).hasSize(p.dim()));
    }

    private static LoraRun.Setup setup(LoraVariant variant) {
        List<LocalDataset> peers = Digits.shards(SPLIT.train(), 6, Digits.Sharding.LABEL_SKEW, 4);
        return new LoraRun.Setup(
                peers, SPLIT.test(), BASE, 4, 8, ROUNDS, 5, 16, 0.01, 0.5, 2, variant, 3);
    }
}
