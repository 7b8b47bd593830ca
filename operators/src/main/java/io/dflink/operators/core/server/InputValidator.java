package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;

/**
 * The checks an input passes before any server sees it, those that need no state: the record key
 * matches the addressed server, the vector has the model's dimension (under decentralised LoRA, the
 * size of the factors it carries) and only finite values, the weight is a positive finite number.
 * State-dependent checks (unknown server, stale round) are the server's.
 */
public final class InputValidator {

    private final int dim;
    private final LoraParams lora;
    private final int summaryLength;

    public InputValidator(int dim) {
        this(dim, null);
    }

    /** The checks of inputs for servers with these settings. */
    public InputValidator(ServerParams params) {
        this.dim = params.dim();
        this.lora = params.lora();
        this.summaryLength = params.serverFda().summaryLength(params.dim());
    }

    /**
     * Under decentralised LoRA ({@code lora} not null) a model update with a {@code factor} and a
     * LoRA consensus message have the size of the factors they carry.
     */
    public InputValidator(int dim, LoraParams lora) {
        this.dim = dim;
        this.lora = lora;
        this.summaryLength = 1 + dim;
    }

    /** The dead letter for {@code in}, or null when it passes. */
    public DeadLetter check(ServerInput in) {
        switch (in.kind) {
            case CLIENT_UPDATE:
                if (in.clientUpdate.isGradient()) {
                    return checkGradient(in);
                }
                if (in.clientUpdate.isDelta()) {
                    return checkDelta(in);
                }
                if (!in.clientUpdate.isModel()) {
                    return checkKey(in);
                }
                if (!(in.clientUpdate.weight > 0) || !Double.isFinite(in.clientUpdate.weight)) {
                    return reject(
                            in,
                            RejectReason.INVALID_VALUE,
                            "weight must be a positive finite number, got "
                                    + in.clientUpdate.weight);
                }
                return checkVectorAndKey(
                        in, in.clientUpdate.vector, modelLength(in.clientUpdate.factor));
            case CONSENSUS:
                if (in.consensus.from.equals(in.consensus.to)) {
                    return reject(in, RejectReason.INVALID_VALUE, "a server cannot message itself");
                }
                if (in.consensus.isSkipControl()) {
                    return in.consensus.vector.length == 0
                            ? checkKey(in)
                            : reject(
                                    in,
                                    RejectReason.WRONG_DIMENSION,
                                    in.consensus.kind
                                            + " carries no vector, got "
                                            + in.consensus.vector.length
                                            + " values");
                }
                if (ConsensusMessage.KIND_FDA_VARIANCE.equals(in.consensus.kind)) {
                    return checkSummaries(in);
                }
                return checkVectorAndKey(
                        in, in.consensus.vector, consensusLength(in.consensus.kind));
            default:
                return null;
        }
    }

    /** Server-tier FDA's flood: one summary of the configured length per named server. */
    private DeadLetter checkSummaries(ServerInput in) {
        ConsensusMessage m = in.consensus;
        if (m.origins == null) {
            return reject(in, RejectReason.MISSING_FIELD, "fda-variance needs 'origins'");
        }
        return checkVectorAndKey(in, m.vector, m.origins.size() * summaryLength);
    }

    /** A delta: a positive sample count and a finite d-vector. */
    private DeadLetter checkDelta(ServerInput in) {
        ClientUpdate u = in.clientUpdate;
        if (!(u.weight > 0) || !Double.isFinite(u.weight)) {
            return reject(
                    in,
                    RejectReason.INVALID_VALUE,
                    "weight must be a positive finite number, got " + u.weight);
        }
        return checkVectorAndKey(in, u.vector);
    }

    /** A gradient: a positive batch size, a d-vector, and with VR a d-vector table mean. */
    private DeadLetter checkGradient(ServerInput in) {
        ClientUpdate u = in.clientUpdate;
        if (!(u.weight > 0) || !Double.isFinite(u.weight)) {
            return reject(
                    in,
                    RejectReason.INVALID_VALUE,
                    "weight (batch size) must be a positive finite number, got " + u.weight);
        }
        DeadLetter bad = checkVectorAndKey(in, u.vector);
        if (bad != null || u.tableMean.length == 0) {
            return bad;
        }
        if (u.samples < 1) {
            return reject(in, RejectReason.INVALID_VALUE, "samples must be >= 1 with a tableMean");
        }
        return checkVectorAndKey(in, u.tableMean);
    }

    /** The size of a model update's vector: the model's, or the named LoRA factor's. */
    private int modelLength(String factor) {
        if (factor == null) {
            return dim;
        }
        return lora == null ? -1 : lora.length(LoraParams.factorNamed(factor));
    }

    /** The size of a consensus message's vector: the model's, or the LoRA factors it carries. */
    private int consensusLength(String kind) {
        LoraVariant.Factor factor = LoraParams.factorOfKind(kind);
        return factor == null || lora == null ? dim : lora.length(factor);
    }

    private static DeadLetter checkKey(ServerInput in) {
        if (in.source.key != null && !in.source.key.equals(in.serverId)) {
            return reject(
                    in,
                    RejectReason.KEY_MISMATCH,
                    "record key '"
                            + in.source.key
                            + "' differs from the addressed server '"
                            + in.serverId
                            + "'");
        }
        return null;
    }

    private DeadLetter checkVectorAndKey(ServerInput in, double[] vector) {
        return checkVectorAndKey(in, vector, dim);
    }

    private DeadLetter checkVectorAndKey(ServerInput in, double[] vector, int expected) {
        DeadLetter wrongKey = checkKey(in);
        if (wrongKey != null) {
            return wrongKey;
        }
        if (expected < 0) {
            return reject(
                    in,
                    RejectReason.INVALID_VALUE,
                    "the servers do not run decentralised LoRA: a model has no factors");
        }
        if (vector.length != expected) {
            return reject(
                    in,
                    RejectReason.WRONG_DIMENSION,
                    "vector has "
                            + vector.length
                            + " values, "
                            + (expected == dim ? "the model has " : "the factor has ")
                            + expected);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Double.isFinite(vector[i])) {
                return reject(in, RejectReason.NON_FINITE, "vector[" + i + "] is " + vector[i]);
            }
        }
        return null;
    }

    private static DeadLetter reject(ServerInput in, RejectReason reason, String why) {
        return DeadLetter.of(reason, why, in.source);
    }
}
