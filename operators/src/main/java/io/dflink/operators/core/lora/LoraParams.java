package io.dflink.operators.core.lora;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.LoraSettings;
import io.dflink.settings.Require;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Decentralised LoRA's settings (docs/algorithms.md §2) and the one layout every party shares: a
 * server's model is one adapted layer's factors as a flat vector, B (rows x rank, row-major)
 * followed by A (rank x cols, row-major), initialised from the seed as B = 0 and A Kaiming-uniform
 * ({@link LoraFactors#initial}). Which factor is trained and which are mixed in round t follows
 * from the variant and T; uploads and consensus messages carry only those factors.
 */
public record LoraParams(
        LoraVariant variant,
        int interval,
        double linkProbability,
        long seed,
        int rank,
        double alpha,
        int rows,
        int cols)
        implements Serializable {

    /** The factor name a client update carries when only A is uploaded. */
    public static final String FACTOR_A = "A";

    /** The factor name a client update carries when only B is uploaded. */
    public static final String FACTOR_B = "B";

    public LoraParams {
        Require.present("lora-variant", variant);
        Require.that(
                interval >= 1, "lora-interval", interval, "the switching interval T must be >= 1");
        Require.that(
                linkProbability > 0 && linkProbability <= 1,
                "lora-link-probability",
                linkProbability,
                "the link probability p must be in (0, 1]");
        Require.atLeast("lora-seed", seed, 0);
        Require.atLeast("lora-rank", rank, 1);
        Require.positive("lora-alpha", alpha);
        Require.that(
                rows >= 1, "lora-rows", rows, "the adapted layer's rows must be >= 1 (required)");
        Require.that(
                cols >= 1, "lora-cols", cols, "the adapted layer's cols must be >= 1 (required)");
        Require.that(
                (long) rank * (rows + cols) <= Integer.MAX_VALUE,
                "lora-rank",
                rank,
                "the LoRA factors rank (rows + cols) must fit one vector");
    }

    /** The model dimension: rank (rows + cols). */
    public int dim() {
        return rank * (rows + cols);
    }

    public int bLength() {
        return rows * rank;
    }

    public int aLength() {
        return rank * cols;
    }

    /** alpha / rank, the scale of B A in the adapted layer. */
    public double scale() {
        return alpha / rank;
    }

    public LoraVariant.Factor trained(long round) {
        return variant.trained(round, interval);
    }

    public LoraVariant.Factor mixed(long round) {
        return variant.mixed(round, interval);
    }

    /** The shared initial model: B = 0, A from the seed. */
    public double[] initialModel() {
        return vector(LoraFactors.initial(rows, cols, rank, seed));
    }

    /** The flat vector [B; A] of {@code f}. */
    public double[] vector(LoraFactors f) {
        double[] v = new double[dim()];
        System.arraycopy(f.b, 0, v, 0, bLength());
        System.arraycopy(f.a, 0, v, bLength(), aLength());
        return v;
    }

    /** The factors held in the flat vector {@code v} (copies). */
    public LoraFactors factors(double[] v) {
        return new LoraFactors(
                rows,
                cols,
                rank,
                Arrays.copyOfRange(v, 0, bLength()),
                Arrays.copyOfRange(v, bLength(), dim()));
    }

    /** The part of {@code v} that holds {@code factor}: B, A, or all of it. */
    public double[] part(double[] v, LoraVariant.Factor factor) {
        switch (factor) {
            case B:
                return Arrays.copyOfRange(v, 0, bLength());
            case A:
                return Arrays.copyOfRange(v, bLength(), dim());
            default:
                return v.clone();
        }
    }

    /** {@code v} with the part holding {@code factor} replaced by {@code values}. */
    public double[] withPart(double[] v, LoraVariant.Factor factor, double[] values) {
        double[] next = v.clone();
        System.arraycopy(
                values, 0, next, factor == LoraVariant.Factor.A ? bLength() : 0, values.length);
        return next;
    }

    /** How many values the part holding {@code factor} has. */
    public int length(LoraVariant.Factor factor) {
        switch (factor) {
            case B:
                return bLength();
            case A:
                return aLength();
            default:
                return dim();
        }
    }

    /**
     * The {@link ClientUpdate#factor} of an upload of {@code factor}: "A", "B", or null for the
     * whole model.
     */
    public static String factorName(LoraVariant.Factor factor) {
        return factor == LoraVariant.Factor.BOTH ? null : factor.name();
    }

    /** The factor a client update's {@code factor} field names (null or absent: both). */
    public static LoraVariant.Factor factorNamed(String name) {
        return name == null ? LoraVariant.Factor.BOTH : LoraVariant.Factor.valueOf(name);
    }

    /** The consensus message kind that carries {@code factor}. */
    public static String consensusKind(LoraVariant.Factor factor) {
        switch (factor) {
            case A:
                return ConsensusMessage.KIND_LORA_A;
            case B:
                return ConsensusMessage.KIND_LORA_B;
            default:
                return ConsensusMessage.KIND_LORA_AB;
        }
    }

    /** The factor a LoRA consensus kind carries, or null for another kind. */
    public static LoraVariant.Factor factorOfKind(String kind) {
        if (ConsensusMessage.KIND_LORA_A.equals(kind)) {
            return LoraVariant.Factor.A;
        }
        if (ConsensusMessage.KIND_LORA_B.equals(kind)) {
            return LoraVariant.Factor.B;
        }
        return ConsensusMessage.KIND_LORA_AB.equals(kind) ? LoraVariant.Factor.BOTH : null;
    }

    /** The settings a round's model carries to the clients. */
    public LoraSettings settings() {
        LoraSettings s = new LoraSettings();
        s.variant = variant.name();
        s.interval = interval;
        s.linkProbability = linkProbability;
        s.seed = seed;
        s.rank = rank;
        s.alpha = alpha;
        s.rows = rows;
        s.cols = cols;
        return s;
    }

    /** The settings a client read from its server's model. */
    public static LoraParams fromSettings(LoraSettings s) {
        return new LoraParams(
                LoraVariant.valueOf(s.variant),
                s.interval,
                s.linkProbability,
                s.seed,
                s.rank,
                s.alpha,
                s.rows,
                s.cols);
    }
}
