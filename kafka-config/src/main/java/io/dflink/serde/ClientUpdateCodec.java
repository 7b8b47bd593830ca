package io.dflink.serde;

import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;

import java.util.Set;

/**
 * Codec of {@link ClientUpdate}: JSON (schema: {@code schemas/client-update.schema.json}), or the
 * compact binary format ({@link BinaryClientUpdateCodec}), chosen per record by its first byte.
 */
public final class ClientUpdateCodec {

    private static final Set<String> TYPES =
            Set.of(
                    ClientUpdate.TYPE_MODEL,
                    ClientUpdate.TYPE_JOIN,
                    ClientUpdate.TYPE_LEAVE,
                    ClientUpdate.TYPE_FDA_STATE,
                    ClientUpdate.TYPE_GRADIENT,
                    ClientUpdate.TYPE_DELTA);

    private ClientUpdateCodec() {}

    /** Decodes and checks the event's shape; semantic checks (dimension, finiteness) come later. */
    public static ClientUpdate decode(byte[] bytes, int maxVectorLength)
            throws InvalidEventException {
        if (BinaryClientUpdateCodec.isBinary(bytes)) {
            return BinaryClientUpdateCodec.decode(bytes, maxVectorLength);
        }
        JsonFields f = JsonFields.parse(bytes);
        String type = f.text("type");
        if (!TYPES.contains(type)) {
            throw new InvalidEventException(
                    RejectReason.UNKNOWN_TYPE, "unknown client update type '" + type + "'");
        }
        ClientUpdate u = new ClientUpdate();
        u.type = type;
        u.clientId = f.text("clientId");
        u.serverId = f.text("serverId");
        u.round = f.nonNegativeLong("round");
        if (u.isModel()) {
            u.weight = f.number("weight");
            u.vector = f.vector("vector", maxVectorLength);
            u.step = f.has("step") ? f.nonNegativeInt("step") : 0;
            u.factor = f.has("factor") ? factor(f.text("factor")) : null;
        } else if (u.isDelta()) {
            u.baseVersion = f.nonNegativeLong("baseVersion");
            u.weight = f.number("weight");
            u.vector = f.vector("vector", maxVectorLength);
        } else if (u.isGradient()) {
            u.step = f.nonNegativeInt("step");
            u.weight = f.number("weight");
            u.vector = f.vector("vector", maxVectorLength);
            if (f.has("tableMean")) {
                u.tableMean = f.vector("tableMean", maxVectorLength);
                u.samples = f.nonNegativeLong("samples");
            }
        } else if (u.isFdaState()) {
            u.step = f.nonNegativeInt("step");
            u.sqNorm = f.number("sqNorm");
            u.projection = f.has("projection") ? f.number("projection") : Double.NaN;
            u.sketch = f.has("sketch") ? f.vector("sketch", maxVectorLength) : new double[0];
        }
        return u;
    }

    private static String factor(String name) throws InvalidEventException {
        if (!"A".equals(name) && !"B".equals(name)) {
            throw new InvalidEventException(
                    RejectReason.INVALID_VALUE,
                    "factor must be \"A\" or \"B\", got '" + name + "'");
        }
        return name;
    }

    /**
     * {@code u} in {@code format}; vectors as {@code encoding} says (binary: f32 for {@code F32},
     * f64 otherwise).
     */
    public static byte[] encode(ClientUpdate u, UpdateFormat format, VectorEncoding encoding) {
        return format == UpdateFormat.BINARY
                ? BinaryClientUpdateCodec.encode(u, encoding == VectorEncoding.F32)
                : encode(u, encoding);
    }

    /** {@code u} as JSON. */
    public static byte[] encode(ClientUpdate u, VectorEncoding encoding) {
        return JsonWriting.object(
                256 + Vectors.sizeHint(u.vector, encoding),
                g -> {
                    g.writeStringField("type", u.type);
                    g.writeStringField("clientId", u.clientId);
                    g.writeStringField("serverId", u.serverId);
                    g.writeNumberField("round", u.round);
                    if (u.isModel()) {
                        if (u.step > 0) {
                            g.writeNumberField("step", u.step);
                        }
                        if (u.factor != null) {
                            g.writeStringField("factor", u.factor);
                        }
                        g.writeNumberField("weight", u.weight);
                        g.writeFieldName("vector");
                        Vectors.write(g, u.vector, encoding);
                    } else if (u.isDelta()) {
                        g.writeNumberField("baseVersion", u.baseVersion);
                        g.writeNumberField("weight", u.weight);
                        g.writeFieldName("vector");
                        Vectors.write(g, u.vector, encoding);
                    } else if (u.isGradient()) {
                        g.writeNumberField("step", u.step);
                        g.writeNumberField("weight", u.weight);
                        g.writeFieldName("vector");
                        Vectors.write(g, u.vector, encoding);
                        if (u.tableMean.length > 0) {
                            g.writeFieldName("tableMean");
                            Vectors.write(g, u.tableMean, encoding);
                            g.writeNumberField("samples", u.samples);
                        }
                    } else if (u.isFdaState()) {
                        g.writeNumberField("step", u.step);
                        g.writeNumberField("sqNorm", u.sqNorm);
                        if (!Double.isNaN(u.projection)) {
                            g.writeNumberField("projection", u.projection);
                        }
                        if (u.sketch.length > 0) {
                            g.writeFieldName("sketch");
                            Vectors.write(g, u.sketch, encoding);
                        }
                    }
                });
    }
}
