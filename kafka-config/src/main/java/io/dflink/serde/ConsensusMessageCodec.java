package io.dflink.serde;

import io.dflink.records.ConsensusMessage;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        m.origins = f.has("origins") ? f.texts("origins") : null;
        return m;
    }

    /** The length of {@link #encode}'s output, encoding only the fields around the vector. */
    public static long encodedSize(ConsensusMessage m, VectorEncoding encoding) {
        ConsensusMessage envelope =
                new ConsensusMessage(m.from, m.to, m.round, m.step, m.kind, new double[0]);
        envelope.origins = m.origins;
        return encode(envelope, encoding).length
                - Vectors.encodedLength(new double[0], encoding)
                + Vectors.encodedLength(m.vector, encoding);
    }

    public static byte[] encode(ConsensusMessage m, VectorEncoding encoding) {
        return JsonWriting.object(
                128 + Vectors.sizeHint(m.vector, encoding),
                g -> {
                    envelope(g, m);
                    g.writeFieldName(VECTOR);
                    Vectors.write(g, m.vector, encoding);
                });
    }

    private static final String VECTOR = "vector";
    private static final byte[] VECTOR_FIELD =
            (",\"" + VECTOR + "\":").getBytes(StandardCharsets.US_ASCII);

    private static void envelope(JsonGenerator g, ConsensusMessage m) throws IOException {
        g.writeStringField("from", m.from);
        g.writeStringField("to", m.to);
        g.writeNumberField("round", m.round);
        g.writeNumberField("step", m.step);
        g.writeStringField("kind", m.kind);
        if (m.origins != null) { // fda-variance only
            g.writeArrayFieldStart("origins");
            for (String o : m.origins) {
                g.writeString(o);
            }
            g.writeEndArray();
        }
    }

    /**
     * Encodes a server's messages as {@link #encode} does, byte for byte, but encodes a vector only
     * once for consecutive messages that carry the same values: a server sends the same iterate to
     * each of its neighbours, and the vector is nearly all of a message's bytes and encoding time.
     * Equality is checked on the values (bit for bit), so the output never depends on the cache.
     * One instance per writing thread.
     */
    public static final class Encoder implements Serializable {

        private static final long serialVersionUID = 1L;

        private final VectorEncoding encoding;
        private transient double[] lastVector;
        private transient byte[] lastValue;

        public Encoder(VectorEncoding encoding) {
            this.encoding = encoding;
        }

        public byte[] encode(ConsensusMessage m) {
            if (lastVector == null || !Arrays.equals(lastVector, m.vector)) {
                lastValue =
                        JsonWriting.value(
                                Vectors.sizeHint(m.vector, encoding),
                                g -> Vectors.write(g, m.vector, encoding));
                lastVector = m.vector.clone();
            }
            // {"from":…,"kind":"…"} without its closing brace, then ,"vector":<value>}
            byte[] head = JsonWriting.object(64, g -> envelope(g, m));
            byte[] out = new byte[head.length + VECTOR_FIELD.length + lastValue.length];
            System.arraycopy(head, 0, out, 0, head.length - 1);
            System.arraycopy(VECTOR_FIELD, 0, out, head.length - 1, VECTOR_FIELD.length);
            System.arraycopy(
                    lastValue, 0, out, head.length - 1 + VECTOR_FIELD.length, lastValue.length);
            out[out.length - 1] = '}';
            return out;
        }
    }
}
