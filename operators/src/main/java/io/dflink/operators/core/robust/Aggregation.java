package io.dflink.operators.core.robust;

import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * How a server combines its clients' vectors into one: the plain weighted mean, or a rule that
 * bounds what a few arbitrary (Byzantine) vectors can do to the result.
 *
 * <ul>
 *   <li>{@link Mean}: the mean weighted by the declared sample counts (DFL's E2).
 *   <li>{@link Median}: the coordinate-wise median (unweighted); tolerates fewer than half of the
 *       vectors being arbitrary in each coordinate.
 *   <li>{@link TrimmedMean}: per coordinate, the mean after dropping the {@code floor(beta n)}
 *       largest and smallest values; tolerates up to that many arbitrary vectors.
 *   <li>{@link MultiKrum}: scores every vector by the squared distances to its {@code n - f - 2}
 *       nearest others and takes the weighted mean of the {@code m} best scored (Blanchard et al.,
 *       NeurIPS 2017); tolerates {@code f} arbitrary vectors when {@code n > 2f + 2}.
 *   <li>{@link CenteredClipping}: from a centre (the server's current model), {@code iterations}
 *       times {@code v <- v + (1/n) sum_i clip(x_i - v, tau)}, unweighted (Karimireddy et al., ICML
 *       2021); no vector moves the result by more than {@code tau / n} per iteration.
 * </ul>
 *
 * Every rule is a pure, deterministic function of the vectors in the order given (callers pass them
 * in client-id order) and, except where a rule says so, does not depend on that order.
 */
public sealed interface Aggregation extends Serializable
        permits Aggregation.Mean,
                Aggregation.Median,
                Aggregation.TrimmedMean,
                Aggregation.MultiKrum,
                Aggregation.CenteredClipping {

    /** The sample-weighted mean. */
    record Mean() implements Aggregation {}

    /** The coordinate-wise median. */
    record Median() implements Aggregation {}

    /** The coordinate-wise mean without the {@code floor(beta n)} extremes on each side. */
    record TrimmedMean(double beta) implements Aggregation {
        public TrimmedMean {
            Require.that(beta >= 0 && beta < 0.5, "trim-fraction", beta, "must be in [0, 0.5)");
        }
    }

    /**
     * The weighted mean of the {@code m} vectors with the best Krum scores for {@code f}; {@code m
     * = 0} keeps {@code n - f} of the round's {@code n}.
     */
    record MultiKrum(int f, int m) implements Aggregation {
        public MultiKrum {
            Require.atLeast("krum-byzantine", f, 0);
            Require.atLeast("krum-selected", m, 0);
        }
    }

    /** {@code iterations} steps of centred clipping with radius {@code tau}. */
    record CenteredClipping(double tau, int iterations) implements Aggregation {
        public CenteredClipping {
            Require.positive("clip-radius", tau);
            Require.atLeast("clip-iterations", iterations, 1);
        }
    }
}
