package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.lora.LoraVariant;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decentralised LoRA on digits over a frozen base that only knows the digits 0-4: the adapters
 * learn the rest, FFA-LoRA never has a cross term, and active-only variants send half the floats.
 */
class LoraRunTest {

    private static final Digits.Split SPLIT = Digits.split(Digits.load(), 0.2, 4);
    private static final double[] BASE = LoraBenchmark.base(SPLIT.train());

    @Test
    void shouldTeachTheFrozenBaseTheDigitsItNeverSawWithTadLora() {
        double before = SoftmaxRegressionTrainer.accuracy(BASE, SPLIT.test(), Digits.CLASSES);
        LoraRun.Trace t = LoraRun.run(setup(LoraVariant.TAD_LORA, 0.5, 2, 60));
        assertThat(before).as("base knows half the classes").isLessThan(0.6);
        assertThat(t.finalAccuracy()).isGreaterThan(before + 0.25);
        assertThat(Arrays.stream(t.crossTerm()).min().orElse(-1)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldGiveFfaLoraNoCrossTermAndLetActiveOnlyVariantsSendHalf() {
        LoraRun.Trace ffa = LoraRun.run(setup(LoraVariant.FFA_LORA, 0.5, 2, 6));
        assertThat(Arrays.stream(ffa.crossTerm()).max().orElse(1)).isLessThan(1e-12);
        assertThat(Arrays.stream(ffa.disagreementA()).max().orElse(1)).isLessThan(1e-12);
        LoraRun.Trace joint = LoraRun.run(setup(LoraVariant.TAD_LORA, 1.0, 2, 4));
        LoraRun.Trace noJoint = LoraRun.run(setup(LoraVariant.TAD_LORA_NO_JOINT, 1.0, 2, 4));
        // complete graph every round (p = 1): 90 directed messages of both factors, or of one
        int a = 4 * Digits.FEATURES;
        int b = Digits.CLASSES * 4;
        assertThat(joint.floatsSent()).isEqualTo(4L * 90 * (a + b));
        assertThat(noJoint.floatsSent()).isEqualTo(2L * 90 * b + 2L * 90 * a);
    }

    private static LoraRun.Setup setup(LoraVariant variant, double p, int interval, int rounds) {
        List<LocalDataset> peers = Digits.shards(SPLIT.train(), 10, Digits.Sharding.LABEL_SKEW, 4);
        return new LoraRun.Setup(
                peers, SPLIT.test(), BASE, 4, 8, rounds, 10, 16, 0.01, p, interval, variant, 3);
    }
}
