package io.dflink.tools.bench;

import java.util.Arrays;

/**
 * A fan-in run's rates and latencies from the times at which each server published each round's
 * model (the job's own clock). Servers without consensus steps run at their own pace, so a fast
 * server finishes its rounds while others still run, and the stragglers then speed up on the freed
 * cores: a rate taken from "the round every server has reached" would credit their catch-up to the
 * rounds before. The steady rate therefore counts the rounds every server completed inside a window
 * in which all of them are still running: from the first server's half-way round to the first
 * server's last round.
 *
 * @param eventsPerSecond all updates of rounds 2..R over the time from the last server's round 1 to
 *     the last server's round R
 * @param steadyEventsPerSecond updates aggregated inside the window, by any server, per second
 * @param steadySeconds the window's length
 * @param roundP50Millis the median of every server's round durations (rounds 2..R): a round bounds
 *     the end-to-end latency of every update in it
 * @param roundMaxMillis the longest of them
 * @param finishSpreadMillis from the first server's last round to the last server's
 */
record FanInTimings(
        double eventsPerSecond,
        double steadyEventsPerSecond,
        double steadySeconds,
        double roundP50Millis,
        double roundMaxMillis,
        double finishSpreadMillis) {

    /**
     * @param published [server][round] epoch milliseconds of the server's model of that round, for
     *     rounds 1..R (index 0 unused)
     * @param perServer updates a server aggregates per round
     */
    static FanInTimings of(long[][] published, int perServer) {
        int servers = published.length;
        int rounds = published[0].length - 1;
        if (rounds < 3) {
            throw new IllegalArgumentException("need at least 3 rounds, got " + rounds);
        }
        long lastFirstRound = Long.MIN_VALUE;
        long lastFinish = Long.MIN_VALUE;
        long firstFinish = Long.MAX_VALUE;
        long firstHalfway = Long.MAX_VALUE;
        double[] durations = new double[servers * (rounds - 1)];
        int k = 0;
        for (long[] t : published) {
            lastFirstRound = Math.max(lastFirstRound, t[1]);
            lastFinish = Math.max(lastFinish, t[rounds]);
            firstFinish = Math.min(firstFinish, t[rounds]);
            firstHalfway = Math.min(firstHalfway, t[rounds / 2]);
            for (int r = 2; r <= rounds; r++) {
                durations[k++] = t[r] - t[r - 1];
            }
        }
        long inWindow = 0;
        for (long[] t : published) {
            for (int r = 1; r <= rounds; r++) {
                inWindow += t[r] > firstHalfway && t[r] <= firstFinish ? 1 : 0;
            }
        }
        Arrays.sort(durations);
        double window = (firstFinish - firstHalfway) / 1e3;
        long events = (long) perServer * servers * (rounds - 1);
        return new FanInTimings(
                events / ((lastFinish - lastFirstRound) / 1e3),
                window > 0 ? inWindow * perServer / window : Double.NaN,
                window,
                durations[durations.length / 2],
                durations[durations.length - 1],
                lastFinish - firstFinish);
    }
}
