package io.dflink.operators.core.robust;

import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * How far one device's update may count in its server's round, whatever the aggregation rule: its
 * declared weight at most {@code weightRatio} times the round's median weight, and its distance
 * from the server's current model at most {@code distanceRatio} times the round's median distance;
 * a farther update is clipped to that radius ({@link Action#CLIP}) or left out and dead-lettered as
 * {@code OUTLIER} ({@link Action#REFUSE}). A ratio of 0 turns that bound off.
 *
 * <p>Why relative to the round's median: a server knows nothing about a device beyond what it
 * declares, and the honest majority of the same round is the only yardstick it has that scales with
 * the model, the data and the stage of training. Honest updates of one round start from the same
 * model with the same number of local steps, so their distances differ by the spread of the
 * devices' data, which a factor of {@value #DEFAULT_RATIO} leaves room for; sample counts of real
 * fleets differ by about that much too. With fewer than {@value #MIN_UPDATES} updates a round has
 * no majority to compare with and the bound does nothing. On a clean run nothing crosses either
 * bound, so its models are bit for bit those of the unbounded mean.
 */
public record InfluenceBound(double weightRatio, double distanceRatio, Action action)
        implements Serializable {

    /** The default factor over the round's median, for weights and for distances. */
    public static final double DEFAULT_RATIO = 10;

    /** The fewest updates in a round for the bound to apply. */
    public static final int MIN_UPDATES = 3;

    /** What happens to an update beyond the distance bound. */
    public enum Action {
        /** Pulled in to the bound along its own direction, and counted. */
        CLIP,
        /** Left out of the round and dead-lettered with reason {@code OUTLIER}. */
        REFUSE
    }

    public InfluenceBound {
        Require.that(
                weightRatio == 0 || weightRatio >= 1,
                "max-weight-ratio",
                weightRatio,
                "must be 0 (off) or >= 1");
        Require.that(
                distanceRatio == 0 || distanceRatio >= 1,
                "max-distance-ratio",
                distanceRatio,
                "must be 0 (off) or >= 1");
        Require.present("outlier-action", action);
    }

    /** Both bounds at {@value #DEFAULT_RATIO} times the median, clipping: on by default. */
    public static InfluenceBound defaults() {
        return new InfluenceBound(DEFAULT_RATIO, DEFAULT_RATIO, Action.CLIP);
    }

    /** No bound: every declared weight and every update counts as sent. */
    public static InfluenceBound none() {
        return new InfluenceBound(0, 0, Action.CLIP);
    }

    /** Whether updates beyond the distance bound are refused rather than clipped. */
    public boolean refuses() {
        return distanceRatio > 0 && action == Action.REFUSE;
    }
}
