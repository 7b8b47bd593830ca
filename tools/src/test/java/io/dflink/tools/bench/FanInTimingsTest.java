package io.dflink.tools.bench;

import org.junit.jupiter.api.Test;

import java.util.function.IntToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

/** The fan-in figures from each server's publish times, including a straggler's catch-up. */
class FanInTimingsTest {

    @Test
    void shouldGiveTheCommonRateOfServersInLockStep() {
        // 4 servers, 100 updates each per round, a round every 200 ms: 2,000 updates/s
        long[][] t = times(4, 10, r -> 1_000 + 200L * r);
        FanInTimings f = FanInTimings.of(t, 100);
        assertThat(f.eventsPerSecond()).isCloseTo(2_000, within(1e-9));
        assertThat(f.steadyEventsPerSecond()).isCloseTo(2_000, within(1e-9));
        assertThat(f.roundP50Millis()).isEqualTo(200);
        assertThat(f.roundMaxMillis()).isEqualTo(200);
        assertThat(f.finishSpreadMillis()).isZero();
    }

    @Test
    void shouldNotCreditAStragglersCatchUpToTheSteadyRate() {
        // servers 0-2 take 100 ms per round and finish 10 rounds at t = 1,000; server 3 takes
        // 300 ms per round while they run, then 50 ms per round on the freed machine. While all
        // four run, the machine aggregates 3 x 100 / 0.1 s + 100 / 0.3 s = 3,333 updates/s.
        long[][] t = new long[4][11];
        for (int s = 0; s < 3; s++) {
            for (int r = 1; r <= 10; r++) {
                t[s][r] = 100L * r;
            }
        }
        for (int r = 1; r <= 10; r++) {
            t[3][r] = r <= 3 ? 300L * r : 1_000 + 50L * (r - 3);
        }
        FanInTimings f = FanInTimings.of(t, 100);
        // the window runs from 500 ms (the first server's round 5) to 1,000 ms (the first
        // finish): servers 0-2 complete rounds 6-10 in it, server 3 its rounds 2 and 3 (600 and
        // 900 ms): 1,700 updates in 0.5 s, the true 3,333/s up to the window's granularity
        assertThat(f.steadySeconds()).isCloseTo(0.5, within(1e-9));
        assertThat(f.steadyEventsPerSecond()).isCloseTo(3_400, within(1e-9));
        // timing by the round every server has reached (server 3's: rounds 5 to 10 at 1,100
        // and 1,350 ms) would report 2,000 updates in 0.25 s = 8,000/s: the catch-up
        assertThat(f.finishSpreadMillis()).isEqualTo(350);
        assertThat(f.roundMaxMillis()).isEqualTo(300);
    }

    @Test
    void shouldRefuseRunsTooShortToMeasure() {
        assertThat(catchThrowable(() -> FanInTimings.of(times(2, 2, r -> r), 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long[][] times(int servers, int rounds, IntToLongFunction at) {
        long[][] t = new long[servers][rounds + 1];
        for (int s = 0; s < servers; s++) {
            for (int r = 1; r <= rounds; r++) {
                t[s][r] = at.applyAsLong(r);
            }
        }
        return t;
    }
}
