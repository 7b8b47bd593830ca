package io.dflink.operators.core.server;

import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.async.AsyncParams;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.operators.core.serverfda.ServerSync;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * A server's settings (docs/algorithms.md §1, §5.1): model dimension, T_S consensus steps per
 * round, when a round closes ({@link RoundClosing}), the last round (0 = unbounded), input bounds,
 * how long a server waits for a neighbour that has not started the round's consensus before it asks
 * to skip that link for the round ({@link LinkSkips}; 0 = wait forever), the vector encoding of
 * what it publishes (for communication accounting), the {@link Algorithm} with its own settings,
 * how the client phase combines its clients' models ({@link Aggregation}; not LT-ADMM), how far one
 * client's update may count ({@link InfluenceBound}, on by default) and the radius of clipped
 * gossip at the server tier (0 = plain gossip; not LT-ADMM) and when the servers gossip at all
 * ({@link ServerFdaParams}: every round, or server-tier FDA). Copies with one setting changed come
 * from {@link #toBuilder()}.
 */
public record ServerParams(
        int dim,
        int consensusSteps,
        RoundClosing closing,
        long lastRound,
        int maxBuffered,
        int maxRoundsAhead,
        long consensusTimeoutMillis,
        VectorEncoding encoding,
        Algorithm algorithm,
        Aggregation aggregation,
        InfluenceBound bound,
        double gossipClipRadius,
        ServerFdaParams serverFda)
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

    public ServerParams {
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
        Require.present("algorithm", algorithm);
        Require.present("aggregator", aggregation);
        Require.present("influence bound", bound);
        Require.nonNegative("gossip-clip-radius", gossipClipRadius);
        Require.present("server-sync", serverFda);
        Require.that(
                serverFda.sync() == ServerSync.ALWAYS || algorithm instanceof Algorithm.Dfl,
                "server-sync",
                serverFda.sync(),
                "applies to DFL's gossip (with or without --fda), not to LT-ADMM's z-exchange,"
                        + " LoRA's factor mixing or --client-phase ASYNC");
        Require.that(
                serverFda.sync() != ServerSync.VARIANCE || consensusTimeoutMillis == 0,
                "server-sync",
                serverFda.sync(),
                "needs every link in every round (the variance flood must reach every server);"
                        + " it cannot run with --consensus-timeout-ms");
        Require.that(
                aggregation instanceof Aggregation.Mean || !(algorithm instanceof Algorithm.LtAdmm),
                "aggregator",
                aggregation.getClass().getSimpleName(),
                "applies to client models (DFL, FDA, LoRA), not to LT-ADMM's gradient steps,"
                        + " whose influence --max-weight-ratio and --max-distance-ratio bound");
        Require.that(
                aggregation instanceof Aggregation.Mean
                        || !(algorithm instanceof Algorithm.AsyncDfl),
                "aggregator",
                aggregation.getClass().getSimpleName(),
                "does not apply to --client-phase ASYNC, whose buffers weigh deltas by staleness;"
                        + " --max-weight-ratio and --max-distance-ratio bound each delta");
        Require.that(
                gossipClipRadius == 0 || !(algorithm instanceof Algorithm.LtAdmm),
                "gossip-clip-radius",
                gossipClipRadius,
                "applies to gossip (DFL, FDA, LoRA), not to LT-ADMM's edge-variable exchange");
        if (algorithm instanceof Algorithm.Lora l) {
            Require.that(
                    l.lora().dim() == dim,
                    "dim",
                    dim,
                    "must be the LoRA factors' size rank (rows + cols) = " + l.lora().dim());
        }
    }

    /**
     * Defaults for the given dimension: the paper's T_S = 25, 5 clients, unbounded rounds, no
     * consensus timeout (fully reproducible), JSON-array vectors, plain DFL.
     */
    public static ServerParams defaults(int dim) {
        return builder(dim).build();
    }

    /** A builder that starts from the {@link #defaults}. */
    public static Builder builder(int dim) {
        return new Builder(dim);
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** FDA's settings when FDA governs DFL's client phase, else null. */
    public FdaParams fda() {
        return algorithm instanceof Algorithm.Dfl d ? d.fda() : null;
    }

    /** The asynchronous client phase's settings when DFL runs with it, else null. */
    public AsyncParams async() {
        return algorithm instanceof Algorithm.AsyncDfl a ? a.async() : null;
    }

    /** LT-ADMM's settings when LT-ADMM runs the servers, else null. */
    public AdmmParams admm() {
        return algorithm instanceof Algorithm.LtAdmm a ? a.admm() : null;
    }

    /** Decentralised LoRA's settings when it runs the servers, else null. */
    public LoraParams lora() {
        return algorithm instanceof Algorithm.Lora l ? l.lora() : null;
    }

    public ServerParams withConsensusSteps(int steps) {
        return toBuilder().consensusSteps(steps).build();
    }

    public ServerParams withClientsPerServer(int n) {
        return withClosing(closing.withClients(n));
    }

    public ServerParams withClosing(RoundClosing c) {
        return toBuilder().closing(c).build();
    }

    public ServerParams withLastRound(long r) {
        return toBuilder().lastRound(r).build();
    }

    public ServerParams withMaxBuffered(int n) {
        return toBuilder().maxBuffered(n).build();
    }

    public ServerParams withConsensusTimeout(long millis) {
        return toBuilder().consensusTimeoutMillis(millis).build();
    }

    public ServerParams withEncoding(VectorEncoding e) {
        return toBuilder().encoding(e).build();
    }

    /** DFL with FDA governing its client phase ({@code null}: plain DFL). */
    public ServerParams withFda(FdaParams f) {
        return toBuilder().algorithm(new Algorithm.Dfl(f)).build();
    }

    /** LT-ADMM runs the servers as ADMM agents ({@code null}: plain DFL). */
    public ServerParams withAdmm(AdmmParams a) {
        return toBuilder().algorithm(a == null ? Algorithm.dfl() : new Algorithm.LtAdmm(a)).build();
    }

    /** Decentralised LoRA runs the servers ({@code null}: DFL); dim becomes the factors' size. */
    public ServerParams withLora(LoraParams l) {
        return l == null
                ? toBuilder().algorithm(Algorithm.dfl()).build()
                : toBuilder().dim(l.dim()).algorithm(new Algorithm.Lora(l)).build();
    }

    /**
     * Consensus steps per round: T_S for DFL, one z-exchange for LT-ADMM, one mixing step for
     * decentralised LoRA.
     */
    public int exchangeSteps() {
        return algorithm instanceof Algorithm.Dfl || algorithm instanceof Algorithm.AsyncDfl
                ? consensusSteps
                : 1;
    }

    /** Settings one at a time; {@link #build} validates them together. */
    public static final class Builder {
        private int dim;
        private int consensusSteps = 25;
        private RoundClosing closing = RoundClosing.count(5);
        private long lastRound;
        private int maxBuffered = 10_000;
        private int maxRoundsAhead = DEFAULT_MAX_ROUNDS_AHEAD;
        private long consensusTimeoutMillis;
        private VectorEncoding encoding = VectorEncoding.ARRAY;
        private Algorithm algorithm = Algorithm.dfl();
        private Aggregation aggregation = new Aggregation.Mean();
        private InfluenceBound bound = InfluenceBound.defaults();
        private double gossipClipRadius;
        private ServerFdaParams serverFda = ServerFdaParams.always();

        private Builder(int dim) {
            this.dim = dim;
        }

        private Builder(ServerParams p) {
            dim = p.dim;
            consensusSteps = p.consensusSteps;
            closing = p.closing;
            lastRound = p.lastRound;
            maxBuffered = p.maxBuffered;
            maxRoundsAhead = p.maxRoundsAhead;
            consensusTimeoutMillis = p.consensusTimeoutMillis;
            encoding = p.encoding;
            algorithm = p.algorithm;
            aggregation = p.aggregation;
            bound = p.bound;
            gossipClipRadius = p.gossipClipRadius;
            serverFda = p.serverFda;
        }

        public Builder dim(int d) {
            dim = d;
            return this;
        }

        public Builder consensusSteps(int steps) {
            consensusSteps = steps;
            return this;
        }

        public Builder closing(RoundClosing c) {
            closing = c;
            return this;
        }

        public Builder lastRound(long r) {
            lastRound = r;
            return this;
        }

        public Builder maxBuffered(int n) {
            maxBuffered = n;
            return this;
        }

        public Builder maxRoundsAhead(int n) {
            maxRoundsAhead = n;
            return this;
        }

        public Builder consensusTimeoutMillis(long millis) {
            consensusTimeoutMillis = millis;
            return this;
        }

        public Builder encoding(VectorEncoding e) {
            encoding = e;
            return this;
        }

        public Builder algorithm(Algorithm a) {
            algorithm = a;
            return this;
        }

        /** How the client phase combines its clients' models (not LT-ADMM). */
        public Builder aggregation(Aggregation a) {
            aggregation = a;
            return this;
        }

        /** How far one client's update may count ({@link InfluenceBound#none()}: unbounded). */
        public Builder bound(InfluenceBound b) {
            bound = b;
            return this;
        }

        /** The radius of clipped gossip at the server tier (0: plain gossip). */
        public Builder gossipClipRadius(double tau) {
            gossipClipRadius = tau;
            return this;
        }

        /** When the servers gossip: every round, or as server-tier FDA decides. */
        public Builder serverFda(ServerFdaParams f) {
            serverFda = f;
            return this;
        }

        public ServerParams build() {
            return new ServerParams(
                    dim,
                    consensusSteps,
                    closing,
                    lastRound,
                    maxBuffered,
                    maxRoundsAhead,
                    consensusTimeoutMillis,
                    encoding,
                    algorithm,
                    aggregation,
                    bound,
                    gossipClipRadius,
                    serverFda);
        }
    }
}
