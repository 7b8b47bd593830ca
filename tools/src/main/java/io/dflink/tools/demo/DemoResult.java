package io.dflink.tools.demo;

import io.dflink.operators.core.math.Vec;
import io.dflink.records.Traffic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a demo run produced: wall time (start-up included) and the time of the rounds themselves,
 * the servers' models per round, the optimum references, step latencies, dead letters by reason,
 * message and byte counts. Derived figures are computed here.
 */
public record DemoResult(
        DemoSettings settings,
        double wallSeconds,
        double roundSeconds,
        double[] trueModel,
        double[] leastSquares,
        List<Map<String, double[]>> modelsByRound,
        List<Double> stepMillis,
        Map<String, Long> deadLettersByReason,
        Map<String, long[]> perTopic,
        Map<String, long[]> sentByServer,
        Map<String, Traffic> communication) {

    public Map<String, double[]> finalModels() {
        return modelsByRound.get(modelsByRound.size() - 1);
    }

    public double[] mean(Map<String, double[]> models) {
        return Vec.mean(models.values(), trueModel.length);
    }

    /** max_i ||w_i - w*|| at round r. */
    public double maxDistance(Map<String, double[]> models, double[] reference) {
        double m = 0;
        for (double[] w : models.values()) {
            m = Math.max(m, Vec.distance(w, reference));
        }
        return m;
    }

    /** max_i ||w_i - mean|| : how far the servers are from agreeing. */
    public double consensusError(Map<String, double[]> models) {
        return maxDistance(models, mean(models));
    }

    /** Rounds per second from the initial models to the last ones (start-up excluded). */
    public double roundsPerSecond() {
        return settings.rounds() / roundSeconds;
    }

    /** The q-quantile (0..1) of the consensus step latencies, in ms; NaN if none were measured. */
    public double stepMillisQuantile(double q) {
        if (stepMillis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(stepMillis);
        Collections.sort(sorted);
        int k = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, k)));
    }
}
