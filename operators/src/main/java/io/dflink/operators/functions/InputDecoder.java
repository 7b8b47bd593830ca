package io.dflink.operators.functions;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.server.InputValidator;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.SourceRef;
import io.dflink.security.ClientKeys;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.InvalidEventException;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Turns a raw record of {@code client-updates} or {@code consensus} (or a wake-up from the
 * topology) into a {@link ServerInput}: decodes the JSON, checks a client update's signature and
 * server binding when a client registry is configured ({@link ClientKeys}), and runs the stateless
 * checks of {@link InputValidator}. What fails is handed to the caller's reject sink with its
 * reason, so bad input never reaches a server's state. Runs inside the keyed server task: only the
 * raw bytes cross Flink's network, never the decoded vectors as well.
 */
public final class InputDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The topic name of wake-ups, which come from the topology, not from Kafka. */
    public static final String WAKE = "(topology)";

    private final String consensusTopic;
    private final ServerParams params;
    private final int maxVectorLength;
    private final ClientKeys clientKeys;

    private transient InputValidator validator;

    public InputDecoder(
            String consensusTopic,
            ServerParams params,
            int maxVectorLength,
            ClientKeys clientKeys) {
        this.consensusTopic = consensusTopic;
        this.params = params;
        this.maxVectorLength = maxVectorLength;
        this.clientKeys = clientKeys;
    }

    /** The wake-up of {@code server}, as a record of its own kind. */
    public static SourceRef wake(String server) {
        return new SourceRef(WAKE, -1, -1, server, new byte[0]);
    }

    /**
     * The input {@code raw} stands for, or null after handing its dead letter to {@code reject}.
     */
    public ServerInput decode(SourceRef raw, Consumer<DeadLetter> reject) {
        if (WAKE.equals(raw.topic)) {
            return ServerInput.wake(raw.key);
        }
        if (validator == null) {
            validator = new InputValidator(params);
        }
        ServerInput in;
        try {
            in = parse(raw);
        } catch (InvalidEventException e) {
            reject.accept(DeadLetter.of(e.reason(), e.getMessage(), raw));
            return null;
        }
        DeadLetter rejected = in.clientUpdate != null ? checkIdentity(in) : null;
        if (rejected == null) {
            rejected = validator.check(in);
        }
        if (rejected != null) {
            reject.accept(rejected);
            return null;
        }
        return in;
    }

    private ServerInput parse(SourceRef raw) throws InvalidEventException {
        return consensusTopic.equals(raw.topic)
                ? ServerInput.of(ConsensusMessageCodec.decode(raw.bytes, maxVectorLength), raw)
                : ServerInput.of(ClientUpdateCodec.decode(raw.bytes, maxVectorLength), raw);
    }

    /**
     * The server a record goes to: its key (the contract asks for the server id), or for a record
     * without a key the server its body addresses, found by decoding it; "" when it cannot be read
     * (its server then dead-letters it without touching any state).
     */
    public String route(SourceRef raw) {
        if (raw.key != null) {
            return raw.key;
        }
        try {
            return parse(raw).serverId;
        } catch (InvalidEventException e) {
            return "";
        }
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
}
