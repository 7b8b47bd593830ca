package io.dflink.operators.core.server;

import io.dflink.operators.core.ClientContribution;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.Bounded;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.robust.RobustAggregator;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a server combines the vectors its clients uploaded for a round or an FDA sync: bounded
 * influence first ({@link InfluenceBound}: weights and distances against the round's median), then
 * the job's {@link Aggregation} rule, in client-id order so that the result does not depend on
 * arrival order. What either did to which client goes into the round's {@link RoundMetrics}; an
 * update refused as an outlier is dead-lettered here. Shared by DFL's model averaging, FDA's syncs
 * and LoRA's factor averaging.
 */
public final class ClientAveraging {

    private final Aggregation rule;
    private final InfluenceBound bound;
    private final boolean uniform;

    /**
     * {@code uniform}: every client counts once (FDA's averages, as its variance does), else by its
     * declared sample count.
     */
    public ClientAveraging(Aggregation rule, InfluenceBound bound, boolean uniform) {
        this.rule = rule;
        this.bound = bound;
        this.uniform = uniform;
    }

    /** Whether an update must keep its source until the round closes (it may be refused). */
    public boolean keepsSources() {
        return bound.refuses();
    }

    /** The round's combination, and how many updates it took in. */
    public record Result(double[] vector, int clients) {}

    /**
     * Combines {@code contributions} (by client id) measured from {@code centre}, the model the
     * clients started from.
     */
    public Result combine(
            ServerState s,
            Map<String, ClientContribution> contributions,
            double[] centre,
            ServerOutputs out) {
        List<String> ids = new ArrayList<>(new TreeMap<>(contributions).keySet());
        int n = ids.size();
        double[] weights = new double[n];
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            ClientContribution c = contributions.get(ids.get(i));
            weights[i] = uniform ? 1 : c.weight;
            vectors[i] = c.vector;
        }
        Bounded bounded = Bounded.apply(bound, weights, vectors, centre);
        if (bounded.touchedAny()) {
            report(s, ids, bounded, contributions, centre, out);
        }
        Bounded kept = bounded.kept();
        List<String> keptIds = keptIds(ids, bounded.refused());
        RobustAggregator.Combined combined =
                RobustAggregator.aggregate(rule, kept.weights(), kept.vectors(), centre);
        note(s.metrics.discarded, keptIds, combined.discarded());
        note(s.metrics.clipped, keptIds, combined.clipped());
        return new Result(combined.vector(), keptIds.size());
    }

    private void report(
            ServerState s,
            List<String> ids,
            Bounded bounded,
            Map<String, ClientContribution> contributions,
            double[] centre,
            ServerOutputs out) {
        note(s.metrics.weightBounded, ids, bounded.weightBounded());
        note(s.metrics.clipped, ids, bounded.clipped());
        note(s.metrics.refused, ids, bounded.refused());
        for (int i = 0; i < ids.size(); i++) {
            ClientContribution c = contributions.get(ids.get(i));
            if (bounded.refused()[i] && c.source != null) {
                out.reject(
                        DeadLetter.of(
                                RejectReason.OUTLIER,
                                ids.get(i)
                                        + "'s update is "
                                        + Vec.distance(c.vector, centre)
                                        + " from server "
                                        + s.serverId
                                        + "'s model, more than "
                                        + bound.distanceRatio()
                                        + " times the round's median distance",
                                c.source));
            }
        }
    }

    private static List<String> keptIds(List<String> ids, boolean[] refused) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!refused[i]) {
                kept.add(ids.get(i));
            }
        }
        return kept;
    }

    /** Adds the ids flagged in {@code flags} to {@code list}, once each, keeping it sorted. */
    public static void note(List<String> list, List<String> ids, boolean[] flags) {
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                noteOnce(list, ids.get(i));
            }
        }
    }

    /** Adds {@code id} to the sorted {@code list} unless it is there already. */
    public static void noteOnce(List<String> list, String id) {
        if (!list.contains(id)) {
            list.add(id);
            list.sort(null);
        }
    }
}
