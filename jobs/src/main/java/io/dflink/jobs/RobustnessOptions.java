package io.dflink.jobs;

import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;

import picocli.CommandLine.Option;

/**
 * What one bad device or server can do to the federation: the client averaging rule, bounded
 * influence of each update (on by default), and clipped gossip at the server tier.
 */
public class RobustnessOptions {

    @Option(
            names = "--aggregator",
            description =
                    "How a server combines its clients' models (not LT-ADMM): MEAN (weighted by sample count),"
                            + " MEDIAN (coordinate-wise), TRIMMED_MEAN (--trim-fraction),"
                            + " MULTI_KRUM (--krum-byzantine, --krum-selected) or CENTERED_CLIPPING"
                            + " (--clip-radius, --clip-iterations, from the server's model)"
                            + " (default: ${DEFAULT-VALUE}).")
    AggregatorChoice aggregator = AggregatorChoice.MEAN;

    @Option(
            names = "--trim-fraction",
            description =
                    "TRIMMED_MEAN: beta, the fraction of values dropped per side and coordinate"
                            + " (default: ${DEFAULT-VALUE}).")
    double trimFraction = 0.1;

    @Option(
            names = "--krum-byzantine",
            description =
                    "MULTI_KRUM: f, the arbitrary models it tolerates; a round needs > 2f + 2"
                            + " (default: ${DEFAULT-VALUE}).")
    int krumByzantine = 1;

    @Option(
            names = "--krum-selected",
            description =
                    "MULTI_KRUM: m, the models it averages; 0 = all but f (default: ${DEFAULT-VALUE}).")
    int krumSelected = 0;

    @Option(
            names = "--clip-radius",
            description =
                    "CENTERED_CLIPPING: tau, how far one model may pull per iteration (default:"
                            + " ${DEFAULT-VALUE}).")
    double clipRadius = 1.0;

    @Option(
            names = "--clip-iterations",
            description = "CENTERED_CLIPPING: iterations (default: ${DEFAULT-VALUE}).")
    int clipIterations = 3;

    /** The client averaging rules, as the command line names them. */
    public enum AggregatorChoice {
        MEAN,
        MEDIAN,
        TRIMMED_MEAN,
        MULTI_KRUM,
        CENTERED_CLIPPING
    }

    @Option(
            names = "--max-weight-ratio",
            description =
                    "Bounded influence: a declared weight counts at most this many times the"
                            + " round's median weight; 0 = unbounded (default: ${DEFAULT-VALUE}).")
    double maxWeightRatio = InfluenceBound.DEFAULT_RATIO;

    @Option(
            names = "--max-distance-ratio",
            description =
                    "Bounded influence: an update farther from the server's model than this many"
                            + " times the round's median distance is clipped or refused"
                            + " (--outlier-action); 0 = unbounded (default: ${DEFAULT-VALUE}).")
    double maxDistanceRatio = InfluenceBound.DEFAULT_RATIO;

    @Option(
            names = "--outlier-action",
            description =
                    "What happens to an update beyond --max-distance-ratio: CLIP (pulled in to the"
                            + " bound) or REFUSE (left out, dead-lettered as OUTLIER) (default:"
                            + " ${DEFAULT-VALUE}).")
    InfluenceBound.Action outlierAction = InfluenceBound.Action.CLIP;

    @Option(
            names = "--gossip-clip-radius",
            description =
                    "Clipped gossip at the server tier: no neighbour's iterate moves a server by"
                            + " more than its mixing weight times this per consensus step; 0 ="
                            + " plain gossip (default: ${DEFAULT-VALUE}).")
    double gossipClipRadius = 0;

    /** The chosen bounded influence. */
    InfluenceBound bound() {
        return new InfluenceBound(maxWeightRatio, maxDistanceRatio, outlierAction);
    }

    /** The chosen client averaging rule. */
    Aggregation aggregation() {
        return switch (aggregator) {
            case MEAN -> new Aggregation.Mean();
            case MEDIAN -> new Aggregation.Median();
            case TRIMMED_MEAN -> new Aggregation.TrimmedMean(trimFraction);
            case MULTI_KRUM -> new Aggregation.MultiKrum(krumByzantine, krumSelected);
            case CENTERED_CLIPPING -> new Aggregation.CenteredClipping(clipRadius, clipIterations);
        };
    }
}
