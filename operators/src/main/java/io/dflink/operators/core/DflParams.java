package io.dflink.operators.core;

import java.io.Serializable;

/**
 * DFL's per-server settings (ALGORITHMS.md §1): model dimension, T_S consensus steps per round,
 * when a round closes ({@link RoundClosing}), the last round (0 = unbounded), and input bounds.
 */
public record DflParams(
        int dim,
        int consensusSteps,
        RoundClosing closing,
        long lastRound,
        int maxBuffered,
        int maxRoundsAhead)
        implements Serializable {

    public DflParams {
        require(dim >= 1, "dim must be >= 1");
        require(consensusSteps >= 0, "consensusSteps must be >= 0");
        require(closing != null, "closing must be set");
        require(lastRound >= 0, "lastRound must be >= 0 (0 = unbounded)");
        require(maxBuffered >= 1, "maxBuffered must be >= 1");
        require(maxRoundsAhead >= 1, "maxRoundsAhead must be >= 1");
    }

    /** Defaults for the given dimension: the paper's T_S = 25, 5 clients, unbounded rounds. */
    public static DflParams defaults(int dim) {
        return new DflParams(dim, 25, RoundClosing.count(5), 0, 10_000, 4);
    }

    public DflParams withConsensusSteps(int steps) {
        return new DflParams(dim, steps, closing, lastRound, maxBuffered, maxRoundsAhead);
    }

    public DflParams withClientsPerServer(int n) {
        return withClosing(closing.withClients(n));
    }

    public DflParams withClosing(RoundClosing c) {
        return new DflParams(dim, consensusSteps, c, lastRound, maxBuffered, maxRoundsAhead);
    }

    public DflParams withLastRound(long r) {
        return new DflParams(dim, consensusSteps, closing, r, maxBuffered, maxRoundsAhead);
    }

    public DflParams withMaxBuffered(int n) {
        return new DflParams(dim, consensusSteps, closing, lastRound, n, maxRoundsAhead);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
