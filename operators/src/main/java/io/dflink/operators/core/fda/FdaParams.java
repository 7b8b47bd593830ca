package io.dflink.operators.core.fda;

import io.dflink.records.FdaSettings;
import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * FDA's settings for one server's client phase (docs/algorithms.md §3d, §5.1): the variant, the
 * absolute threshold Theta on the variance estimate, T_C local steps per round (a forced sync ends
 * the round), the period of the fixed-period baselines, the seed of the shared random choices, and
 * the AMS sketch shape (the authors' 5 x 250 by default).
 */
public record FdaParams(
        FdaVariant variant,
        double threshold,
        int steps,
        int period,
        long seed,
        int sketchDepth,
        int sketchWidth)
        implements Serializable {

    public static final int DEFAULT_SKETCH_DEPTH = 5;
    public static final int DEFAULT_SKETCH_WIDTH = 250;

    public FdaParams {
        Require.present("fda", variant);
        Require.that(
                threshold >= 0 && Double.isFinite(threshold),
                "fda-threshold",
                threshold,
                "FDA threshold must be a finite number >= 0");
        Require.that(steps >= 1, "fda-local-steps", steps, "FDA local steps must be >= 1");
        Require.that(period >= 1, "fda-period", period, "FDA period must be >= 1");
        Require.atLeast("fda-seed", seed, 0);
        Require.atLeast("fda-sketch-depth", sketchDepth, 1);
        Require.atLeast("fda-sketch-width", sketchWidth, 1);
        if (variant == FdaVariant.SYNCHRONOUS) {
            period = 1;
        }
    }

    /** A variant with the authors' sketch shape. */
    public static FdaParams of(
            FdaVariant variant, double threshold, int steps, int period, long seed) {
        return new FdaParams(
                variant,
                threshold,
                steps,
                period,
                seed,
                DEFAULT_SKETCH_DEPTH,
                DEFAULT_SKETCH_WIDTH);
    }

    /** The step after which the clients upload next, for the fixed-schedule variants. */
    public int nextScheduledSync(int afterStep) {
        return Math.min(steps, (afterStep / period + 1) * period);
    }

    /** Whether clients upload after {@code step} without waiting for a decision. */
    public boolean uploadsWithoutDecision(int step) {
        return step >= steps || (!variant.monitored() && step % period == 0);
    }

    /** Values of one client's monitoring state on the wire: 1 (Naive), 2 (Linear), 1 + D*W. */
    public int stateValues() {
        switch (variant) {
            case NAIVE:
                return 1;
            case LINEAR:
                return 2;
            case SKETCH:
                return 1 + sketchDepth * sketchWidth;
            default:
                return 0;
        }
    }

    /** The settings the server sends its clients with each round's model. */
    public FdaSettings settings() {
        FdaSettings s = new FdaSettings();
        s.variant = variant.name();
        s.steps = steps;
        s.period = period;
        s.seed = seed;
        s.sketchDepth = sketchDepth;
        s.sketchWidth = sketchWidth;
        return s;
    }

    /** The client's view of {@link #settings()}; the threshold stays with the server. */
    public static FdaParams fromSettings(FdaSettings s) {
        return new FdaParams(
                FdaVariant.valueOf(s.variant),
                0,
                s.steps,
                s.period,
                s.seed,
                s.sketchDepth,
                s.sketchWidth);
    }
}
