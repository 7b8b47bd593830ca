package io.dflink.operators.core;

import java.io.Serializable;

/**
 * DFL's per-server settings (ALGORITHMS.md §1): model dimension, T_S consensus steps per round,
 * when a round closes ({@link RoundClosing}), the last round (0 = unbounded), input bounds, and how
 * long a server waits for a neighbour that has not started the round's consensus before it asks to
 * skip that link for the round ({@link LinkSkips}; 0 = wait forever).
 */
public record DflParams(
        int dim,
        int consensusSteps,
        RoundClosing closing,
        long lastRound,
        int maxBuffered,
        int maxRoundsAhead,
        long consensusTimeoutMillis)
        implements Serializable {

    public DflParams {
        require(dim >= 1, "dim must be >= 1");
        require(consensusSteps >= 0, "consensusSteps must be >= 0");
        require(closing != null, "closing must be set");
        require(lastRound >= 0, "lastRound must be >= 0 (0 = unbounded)");
        require(maxBuffered >= 1, "maxBuffered must be >= 1");
        require(maxRoundsAhead >= 1, "maxRoundsAhead must be >= 1");
        require(consensusTimeoutMillis >= 0, "consensusTimeoutMillis must be >= 0 (0 = never)");
    }

    /**
     * Defaults for the given dimension: the paper's T_S = 25, 5 clients, unbounded rounds, no
     * consensus timeout (fully reproducible).
     */
    public static DflParams defaults(int dim) {
        return new DflParams(dim, 25, RoundClosing.count(5), 0, 10_000, 4, 0);
    }

    public DflParams withConsensusSteps(int steps) {
        return new DflParams(
                dim,
                steps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis);
    }

    public DflParams withClientsPerServer(int n) {
        return withClosing(closing.withClients(n));
    }

    public DflParams withClosing(RoundClosing c) {
        return new DflParams(
                dim,
                consensusSteps,
                c,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis);
    }

    public DflParams withLastRound(long r) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                r,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis);
    }

    public DflParams withMaxBuffered(int n) {
        return new DflParams(
                dim, consensusSteps, closing, lastRound, n, maxRoundsAhead, consensusTimeoutMillis);
    }

    public DflParams withConsensusTimeout(long millis) {
        return new DflParams(
                dim, consensusSteps, closing, lastRound, maxBuffered, maxRoundsAhead, millis);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
