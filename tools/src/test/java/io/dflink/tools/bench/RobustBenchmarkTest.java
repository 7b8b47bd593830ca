package io.dflink.tools.bench;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The robust benchmark on a small federation: on clean devices the bounded mean is the unbounded
 * one bit for bit and the bound touches nothing; a sign-flipping device per server steers the mean
 * and not multi-Krum; the run is a function of its seed.
 */
class RobustBenchmarkTest {

    private static final RobustBenchmark.Settings SMALL =
            new RobustBenchmark.Settings(
                    2,
                    5,
                    6,
                    10,
                    2,
                    32,
                    0.3,
                    List.of(0.0, 0.2),
                    List.of(RobustAttack.Kind.SIGN_FLIP),
                    1.0,
                    1,
                    3);

    @Test
    void shouldTellTheDefencesApartOnlyUnderAttack() {
        RobustBenchmark.Result r =
                RobustBenchmark.run(SMALL, new PrintStream(OutputStream.nullOutputStream()));
        List<RobustBenchmark.Defence> d = RobustBenchmark.defences(SMALL);
        RobustBenchmark.Row cleanUnbounded = RobustBenchReport.find(r, 0.0, null, d.get(0));
        RobustBenchmark.Row cleanBounded = RobustBenchReport.find(r, 0.0, null, d.get(1));
        assertThat(cleanBounded.accuracy()).containsExactly(cleanUnbounded.accuracy());
        assertThat(cleanBounded.touched()).isZero();
        assertThat(cleanUnbounded.mean()).isGreaterThan(0.7);
        RobustBenchmark.Row attackedMean =
                RobustBenchReport.find(r, 0.2, RobustAttack.Kind.SIGN_FLIP, d.get(1));
        RobustBenchmark.Row attackedKrum =
                RobustBenchReport.find(r, 0.2, RobustAttack.Kind.SIGN_FLIP, d.get(4));
        assertThat(d.get(4).name()).startsWith("multi-Krum");
        assertThat(attackedMean.mean()).isLessThan(cleanUnbounded.mean() - 0.2);
        assertThat(attackedKrum.mean()).isGreaterThan(cleanUnbounded.mean() - 0.1);
        assertThat(attackedKrum.touched()).as("multi-Krum discarded the attackers").isPositive();
    }

    @Test
    void shouldRepeatARunFromItsSeed() {
        RobustBenchmark.Defence median = RobustBenchmark.defences(SMALL).get(2);
        double first =
                RobustBenchmark.runOnce(SMALL, 0.2, RobustAttack.Kind.SIGN_FLIP, median, 5)
                        .accuracy();
        double again =
                RobustBenchmark.runOnce(SMALL, 0.2, RobustAttack.Kind.SIGN_FLIP, median, 5)
                        .accuracy();
        assertThat(again).isEqualTo(first);
    }
}
