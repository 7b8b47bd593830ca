package io.dflink.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How fast one device trains and when it is away: {@code millisPerStep} per local step, and windows
 * [from, until) of milliseconds since the fleet started in which it neither starts training nor
 * uploads (it resumes where it was when it comes back).
 */
public record DevicePace(double millisPerStep, List<long[]> offline) {

    public DevicePace {
        if (!(millisPerStep >= 0) || Double.isInfinite(millisPerStep)) {
            throw new IllegalArgumentException("millisPerStep must be >= 0, got " + millisPerStep);
        }
        offline = List.copyOf(offline);
        for (long[] w : offline) {
            if (w.length != 2 || w[1] < w[0]) {
                throw new IllegalArgumentException("an offline window is [from, until)");
            }
        }
    }

    /** Always online. */
    public static DevicePace steady(double millisPerStep) {
        return new DevicePace(millisPerStep, List.of());
    }

    /**
     * Paces for {@code n} devices: a median of {@code medianMillisPerStep} with log-normal spread
     * {@code sigma} (so the fastest and slowest of a fleet differ by about e^{4 sigma}), seeded.
     */
    public static List<DevicePace> logNormal(
            int n, double medianMillisPerStep, double sigma, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<DevicePace> paces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double z =
                    Math.sqrt(-2 * Math.log(1 - rnd.nextDouble()))
                            * Math.cos(2 * Math.PI * rnd.nextDouble());
            paces.add(steady(medianMillisPerStep * Math.exp(sigma * z)));
        }
        return paces;
    }

    /** This pace, also away during [from, until). */
    public DevicePace awayDuring(long fromMillis, long untilMillis) {
        List<long[]> w = new ArrayList<>(offline);
        w.add(new long[] {fromMillis, untilMillis});
        return new DevicePace(millisPerStep, w);
    }

    public boolean onlineAt(long millis) {
        for (long[] w : offline) {
            if (millis >= w[0] && millis < w[1]) {
                return false;
            }
        }
        return true;
    }

    /** The first moment at or after {@code millis} at which the device is online. */
    public long onlineFrom(long millis) {
        long t = millis;
        boolean moved = true;
        while (moved) { // windows may overlap or touch, in any order
            moved = false;
            for (long[] w : offline) {
                if (t >= w[0] && t < w[1]) {
                    t = w[1];
                    moved = true;
                }
            }
        }
        return t;
    }

    /** How long {@code steps} local steps take. */
    public long millisFor(int steps) {
        return Math.round(steps * millisPerStep);
    }
}
