package io.dflink.serde;

import io.dflink.records.ConsensusMessage;

/**
 * JSON codec of {@link ConsensusMessage}; schema: {@code schemas/consensus-message.schema.json}.
 */
public final class ConsensusMessageCodec {

    private ConsensusMessageCodec() {}

    public static ConsensusMessage decode(byte[] bytes, int maxVectorLength)
            throws InvalidEventException {
        JsonFields f = JsonFields.parse(bytes);
        ConsensusMessage m = new ConsensusMessage();
        m.from = f.text("from");
        m.to = f.text("to");
        m.round = f.nonNegativeLong("round");
        m.step = f.nonNegativeInt("step");
        m.kind = f.text("kind");
        m.vector = f.vector("vector", maxVectorLength);
        return m;
    }

    /** The length of {@link #encode}'s output, encoding only the fields around the vector. */
    public static long encodedSize(ConsensusMessage m, VectorEncoding encoding) {
        ConsensusMessage envelope =
                new ConsensusMessage(m.from, m.to, m.round, m.step, m.kind, new double[0]);
        return encode(envelope, encoding).length
                - Vectors.encodedLength(new double[0], encoding)
                + Vectors.encodedLength(m.vector, encoding);
    }

    public static byte[] encode(ConsensusMessage m, VectorEncoding encoding) {
        return JsonWriting.object(
                g -> {
                    g.writeStringField("from", m.from);
                    g.writeStringField("to", m.to);
                    g.writeNumberField("round", m.round);
                    g.writeNumberField("step", m.step);
                    g.writeStringField("kind", m.kind);
                    g.writeFieldName("vector");
                    Vectors.write(g, m.vector, encoding);
                });
    }
}
