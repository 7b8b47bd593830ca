package io.dflink.operators.core.server;

import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * A server's settings (docs/algorithms.md §1, §5.1): model dimension, T_S consensus steps per
 * round, when a round closes ({@link RoundClosing}), the last round (0 = unbounded), input bounds,
 * how long a server waits for a neighbour that has not started the round's consensus before it asks
 * to skip that link for the round ({@link LinkSkips}; 0 = wait forever), the vector encoding of
 * what it publishes (for communication accounting), and FDA's settings when FDA governs the client
 * phase (null: plain DFL, clients send one model per round), LT-ADMM's or decentralised LoRA's when
 * they run the servers.
 */
public record DflParams(
        int dim,
        int consensusSteps,
        RoundClosing closing,
        long lastRound,
        int maxBuffered,
        int maxRoundsAhead,
        long consensusTimeoutMillis,
        VectorEncoding encoding,
        FdaParams fda,
        AdmmParams admm,
        LoraParams lora)
        implements Serializable {

    /**
     * How far ahead of its server a client update may be. Generous on purpose: after a failure the
     * job restores its servers to the last checkpoint and re-reads the updates devices sent since
     * then; devices are not rolled back and do not send them again, so a restored server must take
     * updates for every round it completed after that checkpoint. The bound is the rounds a server
     * runs between checkpoints (plus the restart), not how far a device may legitimately run ahead,
     * which is one round.
     */
    public static final int DEFAULT_MAX_ROUNDS_AHEAD = 1_000;

    public DflParams {
        Require.atLeast("dim", dim, 1);
        Require.atLeast("consensus-steps", consensusSteps, 0);
        Require.present("closing", closing);
        Require.that(lastRound >= 0, "rounds", lastRound, "must be >= 0 (0 = unbounded)");
        Require.atLeast("max-buffered", maxBuffered, 1);
        Require.atLeast("max-rounds-ahead", maxRoundsAhead, 1);
        Require.that(
                consensusTimeoutMillis >= 0,
                "consensus-timeout-ms",
                consensusTimeoutMillis,
                "must be >= 0 (0 = wait forever)");
        Require.present("vector-encoding", encoding);
        Require.that(
                fda == null || (admm == null && lora == null),
                "fda",
                fda == null ? null : fda.variant(),
                "applies to --algorithm DFL only: FDA governs DFL's client phase, LT-ADMM and"
                        + " decentralised LoRA have their own");
        Require.that(
                lora == null || admm == null,
                "algorithm",
                "LT_ADMM and LORA",
                "must be one algorithm: decentralised LoRA runs alone");
        Require.that(
                lora == null || lora.dim() == dim,
                "dim",
                dim,
                "must be the LoRA factors' size rank (rows + cols)"
                        + (lora == null ? "" : " = " + lora.dim()));
    }

    /**
     * Defaults for the given dimension: the paper's T_S = 25, 5 clients, unbounded rounds, no
     * consensus timeout (fully reproducible), JSON-array vectors, no FDA.
     */
    public static DflParams defaults(int dim) {
        return new DflParams(
                dim,
                25,
                RoundClosing.count(5),
                0,
                10_000,
                DEFAULT_MAX_ROUNDS_AHEAD,
                0,
                VectorEncoding.ARRAY,
                null,
                null,
                null);
    }

    public DflParams withConsensusSteps(int steps) {
        return new DflParams(
                dim,
                steps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis,
                encoding,
                fda,
                admm,
                lora);
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
                consensusTimeoutMillis,
                encoding,
                fda,
                admm,
                lora);
    }

    public DflParams withLastRound(long r) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                r,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis,
                encoding,
                fda,
                admm,
                lora);
    }

    public DflParams withMaxBuffered(int n) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                lastRound,
                n,
                maxRoundsAhead,
                consensusTimeoutMillis,
                encoding,
                fda,
                admm,
                lora);
    }

    public DflParams withConsensusTimeout(long millis) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                millis,
                encoding,
                fda,
                admm,
                lora);
    }

    public DflParams withEncoding(VectorEncoding e) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis,
                e,
                fda,
                admm,
                lora);
    }

    /** FDA governs the client phase ({@code null}: plain DFL). */
    public DflParams withFda(FdaParams f) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis,
                encoding,
                f,
                admm,
                lora);
    }

    /** LT-ADMM runs the servers as ADMM agents ({@code null}: DFL). */
    public DflParams withAdmm(AdmmParams a) {
        return new DflParams(
                dim,
                consensusSteps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis,
                encoding,
                fda,
                a,
                lora);
    }

    /** Decentralised LoRA runs the servers ({@code null}: DFL); dim becomes the factors' size. */
    public DflParams withLora(LoraParams l) {
        return new DflParams(
                l == null ? dim : l.dim(),
                consensusSteps,
                closing,
                lastRound,
                maxBuffered,
                maxRoundsAhead,
                consensusTimeoutMillis,
                encoding,
                fda,
                admm,
                l);
    }

    /**
     * Consensus steps per round: T_S for DFL, one z-exchange for LT-ADMM, one mixing step for
     * decentralised LoRA.
     */
    public int exchangeSteps() {
        return admm != null || lora != null ? 1 : consensusSteps;
    }
}
