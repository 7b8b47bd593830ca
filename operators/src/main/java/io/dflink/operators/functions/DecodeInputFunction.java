package io.dflink.operators.functions;

import io.dflink.operators.core.InputValidator;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.SourceRef;
import io.dflink.security.ClientKeys;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.InvalidEventException;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns raw records of {@code client-updates} and {@code consensus} into {@link ServerInput}s:
 * decodes the JSON, checks a client update's signature and server binding when a client registry is
 * configured ({@link ClientKeys}), and runs the stateless checks of {@link InputValidator}.
 * Anything that fails goes to {@link OutputTags#DEAD_LETTERS} with its reason, so bad input never
 * reaches a server.
 */
public final class DecodeInputFunction extends ProcessFunction<SourceRef, ServerInput> {

    // ---- configuration ----
    private final String consensusTopic;
    private final int dim;
    private final int maxVectorLength;
    private final ClientKeys clientKeys;
    private final LoraParams lora;

    // ---- runtime ----
    private transient InputValidator validator;

    public DecodeInputFunction(
            String consensusTopic,
            int dim,
            LoraParams lora,
            int maxVectorLength,
            ClientKeys clientKeys) {
        this.consensusTopic = consensusTopic;
        this.lora = lora;
        this.dim = dim;
        this.maxVectorLength = maxVectorLength;
        this.clientKeys = clientKeys;
    }

    /** With a client registry: the update must be signed by its client, for the client's server. */
    private DeadLetter checkIdentity(ServerInput in) {
        ClientKeys.Refusal refusal =
                clientKeys.check(
                        in.clientUpdate.clientId,
                        in.clientUpdate.serverId,
                        in.source.bytes,
                        in.source.signature);
        if (refusal == null) {
            return null;
        }
        RejectReason reason =
                refusal.authenticated() ? RejectReason.NOT_ALLOWED : RejectReason.UNAUTHENTICATED;
        return DeadLetter.of(reason, refusal.message(), in.source);
    }

    @Override
    public void processElement(SourceRef raw, Context ctx, Collector<ServerInput> out) {
        if (validator == null) {
            validator = new InputValidator(dim, lora);
        }
        ServerInput in;
        try {
            in =
                    consensusTopic.equals(raw.topic)
                            ? ServerInput.of(
                                    ConsensusMessageCodec.decode(raw.bytes, maxVectorLength), raw)
                            : ServerInput.of(
                                    ClientUpdateCodec.decode(raw.bytes, maxVectorLength), raw);
        } catch (InvalidEventException e) {
            ctx.output(OutputTags.DEAD_LETTERS, DeadLetter.of(e.reason(), e.getMessage(), raw));
            return;
        }
        DeadLetter rejected = in.clientUpdate != null ? checkIdentity(in) : null;
        if (rejected == null) {
            rejected = validator.check(in);
        }
        if (rejected != null) {
            ctx.output(OutputTags.DEAD_LETTERS, rejected);
        } else {
            out.collect(in);
        }
    }
}
