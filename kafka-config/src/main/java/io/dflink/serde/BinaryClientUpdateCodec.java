package io.dflink.serde;

import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The compact binary value format of {@code client-updates} (kafka-config/README.md, "Binary
 * updates"): magic byte {@code 0xDF}, format version, type code, flags, the fixed fields in
 * little-endian order, then the vectors as little-endian f64 or f32. Decoded without Jackson, with
 * the checks and reasons of the JSON codec; a record cut short or too long is {@code
 * MALFORMED_BINARY}.
 */
public final class BinaryClientUpdateCodec {

    /** The first byte of every binary update: never the first byte of UTF-8 JSON text. */
    public static final byte MAGIC = (byte) 0xDF;

    /** The format version this codec writes and reads. */
    public static final int VERSION = 1;

    /** Flag bit: vectors are f32 (otherwise f64). Other bits are reserved and must be 0. */
    static final int FLAG_F32 = 1;

    /** Type codes by position: index = code - 1. */
    private static final List<String> TYPES =
            List.of(
                    ClientUpdate.TYPE_MODEL,
                    ClientUpdate.TYPE_DELTA,
                    ClientUpdate.TYPE_GRADIENT,
                    ClientUpdate.TYPE_FDA_STATE,
                    ClientUpdate.TYPE_JOIN,
                    ClientUpdate.TYPE_LEAVE);

    private static final int NO_FACTOR = 0;

    private BinaryClientUpdateCodec() {}

    /** Whether {@code bytes} are a binary update (by their magic byte). */
    public static boolean isBinary(byte[] bytes) {
        return bytes != null && bytes.length > 0 && bytes[0] == MAGIC;
    }

    public static ClientUpdate decode(byte[] bytes, int maxVectorLength)
            throws InvalidEventException {
        BinaryFields f = new BinaryFields(bytes);
        if ((byte) f.u8("magic") != MAGIC) {
            throw BinaryFields.malformed("the first byte must be 0xDF");
        }
        int version = f.u8("version");
        if (version != VERSION) {
            throw BinaryFields.malformed(
                    "format version " + version + " is not known (this job reads " + VERSION + ")");
        }
        int code = f.u8("type");
        if (code < 1 || code > TYPES.size()) {
            throw new InvalidEventException(
                    RejectReason.UNKNOWN_TYPE, "unknown client update type code " + code);
        }
        int flags = f.u8("flags");
        if ((flags & ~FLAG_F32) != 0) {
            throw BinaryFields.malformed("reserved flag bits set (flags = " + flags + ")");
        }
        boolean f32 = (flags & FLAG_F32) != 0;
        ClientUpdate u = new ClientUpdate();
        u.type = TYPES.get(code - 1);
        u.round = f.nonNegativeI64("round");
        u.step = f.nonNegativeI32("step");
        u.clientId = f.text("clientId");
        u.serverId = f.text("serverId");
        if (u.isModel()) {
            u.weight = f.f64("weight");
            u.factor = factor(f.u8("factor"));
            u.vector = f.vector("vector", f32, maxVectorLength);
        } else if (u.isDelta()) {
            u.baseVersion = f.nonNegativeI64("baseVersion");
            u.weight = f.f64("weight");
            u.vector = f.vector("vector", f32, maxVectorLength);
        } else if (u.isGradient()) {
            u.weight = f.f64("weight");
            u.vector = f.vector("vector", f32, maxVectorLength);
            u.tableMean = f.vector("tableMean", f32, maxVectorLength);
            u.samples = f.nonNegativeI64("samples");
        } else if (u.isFdaState()) {
            u.sqNorm = f.f64("sqNorm");
            u.projection = f.f64("projection");
            u.sketch = f.vector("sketch", f32, maxVectorLength);
        }
        f.end();
        return u;
    }

    private static String factor(int code) throws InvalidEventException {
        if (code == NO_FACTOR) {
            return null;
        }
        if (code != 'A' && code != 'B') {
            throw new InvalidEventException(
                    RejectReason.INVALID_VALUE,
                    "factor must be 0, 'A' (65) or 'B' (66), got " + code);
        }
        return String.valueOf((char) code);
    }

    /** The binary value of {@code u}, vectors as f32 when {@code f32}, else f64. */
    public static byte[] encode(ClientUpdate u, boolean f32) {
        byte[] client = id(u.clientId, "clientId");
        byte[] server = id(u.serverId, "serverId");
        int width = f32 ? 4 : 8;
        ByteBuffer b =
                ByteBuffer.allocate(size(u, client.length + server.length, width))
                        .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) VERSION).put((byte) (TYPES.indexOf(u.type) + 1));
        b.put((byte) (f32 ? FLAG_F32 : 0));
        b.putLong(u.round).putInt(u.step);
        b.put((byte) client.length).put(client).put((byte) server.length).put(server);
        if (u.isModel()) {
            b.putDouble(u.weight).put((byte) (u.factor == null ? NO_FACTOR : u.factor.charAt(0)));
            put(b, u.vector, f32);
        } else if (u.isDelta()) {
            b.putLong(u.baseVersion).putDouble(u.weight);
            put(b, u.vector, f32);
        } else if (u.isGradient()) {
            b.putDouble(u.weight);
            put(b, u.vector, f32);
            put(b, u.tableMean, f32);
            b.putLong(u.samples);
        } else if (u.isFdaState()) {
            b.putDouble(u.sqNorm).putDouble(u.projection);
            put(b, u.sketch, f32);
        }
        return b.array();
    }

    private static byte[] id(String id, String field) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException(
                    field + " is " + bytes.length + " bytes of UTF-8; the binary format holds 255");
        }
        return bytes;
    }

    private static int size(ClientUpdate u, int idBytes, int width) {
        int header = 4 + 8 + 4 + 2 + idBytes;
        if (u.isModel()) {
            return header + 8 + 1 + 4 + width * u.vector.length;
        } else if (u.isDelta()) {
            return header + 16 + 4 + width * u.vector.length;
        } else if (u.isGradient()) {
            return header + 8 + 8 + 8 + width * (u.vector.length + u.tableMean.length);
        } else if (u.isFdaState()) {
            return header + 16 + 4 + width * u.sketch.length;
        }
        return header;
    }

    private static void put(ByteBuffer b, double[] v, boolean f32) {
        b.putInt(v.length);
        if (f32) {
            for (double x : v) {
                b.putFloat((float) x);
            }
        } else {
            b.asDoubleBuffer().put(v);
            b.position(b.position() + 8 * v.length);
        }
    }
}
