package io.dflink.tools.bench;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A small sweep of the asynchronous benchmark: every variant, sampled on the simulated clock. */
class AsyncBenchmarkTest {

    private static final AsyncBenchmark.Settings SMALL =
            new AsyncBenchmark.Settings(
                    3, 4, 10, 2, 16, 0.1, 10, 1.0, 10, 1, 0.6, List.of(2, 4), 1, 1);

    @Test
    void shouldSampleEveryVariantOnTheSimulatedClockAndCountWhatTheQuorumLeftOut() {
        AsyncBenchmark.Result r =
                AsyncBenchmark.run(SMALL, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(r.rows())
                .extracting(row -> row.variant().name())
                .containsExactly(
                        "sync",
                        "sync, quorum 2 at 200 ms",
                        "FedBuff K=2",
                        "FedBuff K=4",
                        "FedAsync a=0.5");
        for (AsyncBenchmark.Row row : r.rows()) {
            AsyncBenchmark.Curve c = row.curves().get(0);
            assertThat(c.seconds()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            for (int i = 1; i < c.bytes().length; i++) {
                assertThat(c.bytes()[i]).isGreaterThanOrEqualTo(c.bytes()[i - 1]);
            }
            for (double a : c.accuracy()) {
                assertThat(a).isBetween(0.0, 1.0);
            }
        }
        AsyncBenchmark.Row sync = r.rows().get(0);
        AsyncBenchmark.Row quorum = r.rows().get(1);
        assertThat(sync.rejected()).as("lock-step rounds refuse nothing").isZero();
        assertThat(quorum.rejected())
                .as("updates of devices slower than the timeout arrive for closed rounds")
                .isPositive();
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.reached(SMALL.target())).isOne());
    }
}
