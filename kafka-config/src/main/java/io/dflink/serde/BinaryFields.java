package io.dflink.serde;

import io.dflink.records.RejectReason;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the little-endian fields of one binary record in order, turning every problem into an
 * {@link InvalidEventException} whose message names the field: a record cut short or with bytes
 * left over is {@code MALFORMED_BINARY}, a field out of range gets the reason JSON would give it.
 * Reads the array in place (no buffer objects, no message strings unless a check fails): it runs
 * once per update in the job's hottest loop.
 */
final class BinaryFields {

    private static final VarHandle I32 =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F64 =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private int pos;

    BinaryFields(byte[] bytes) {
        this.bytes = bytes;
    }

    int u8(String field) throws InvalidEventException {
        need(1, field);
        return bytes[pos++] & 0xFF;
    }

    long nonNegativeI64(String field) throws InvalidEventException {
        need(8, field);
        long v = (long) I64.get(bytes, pos);
        pos += 8;
        return nonNegative(v, field);
    }

    int nonNegativeI32(String field) throws InvalidEventException {
        need(4, field);
        int v = (int) I32.get(bytes, pos);
        pos += 4;
        return (int) nonNegative(v, field);
    }

    double f64(String field) throws InvalidEventException {
        need(8, field);
        double v = (double) F64.get(bytes, pos);
        pos += 8;
        return v;
    }

    /** A u8 length, then that many bytes of UTF-8; never empty. */
    String text(String field) throws InvalidEventException {
        need(1, field);
        int n = bytes[pos++] & 0xFF;
        if (n == 0) {
            throw new InvalidEventException(
                    RejectReason.WRONG_TYPE,
                    "field '" + field + "' must be a non-empty string, got an empty one");
        }
        need(n, field);
        int start = pos;
        pos += n;
        for (int i = start; i < pos; i++) {
            if (bytes[i] < 0) {
                return utf8(start, n, field);
            }
        }
        return new String(bytes, start, n, StandardCharsets.ISO_8859_1); // ASCII: the common ids
    }

    /** A u32 count, then that many f32 or f64 values. */
    double[] vector(String field, boolean f32, int maxLength) throws InvalidEventException {
        need(4, field);
        long count = Integer.toUnsignedLong((int) I32.get(bytes, pos));
        pos += 4;
        Vectors.checkLength(count, field, maxLength);
        int width = f32 ? 4 : 8;
        need(count * width, field);
        double[] v = new double[(int) count];
        if (f32) {
            for (int i = 0; i < v.length; i++, pos += 4) {
                v[i] = (float) F32.get(bytes, pos);
            }
        } else {
            for (int i = 0; i < v.length; i++, pos += 8) {
                v[i] = (double) F64.get(bytes, pos);
            }
        }
        return v;
    }

    /** The record must end here. */
    void end() throws InvalidEventException {
        if (pos != bytes.length) {
            throw malformed((bytes.length - pos) + " bytes after the last field");
        }
    }

    private void need(long n, String field) throws InvalidEventException {
        if (bytes.length - pos < n) {
            throw malformed(
                    "record ends inside field '"
                            + field
                            + "' (at byte "
                            + pos
                            + " of "
                            + bytes.length
                            + ")");
        }
    }

    private String utf8(int start, int n, String field) throws InvalidEventException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("field '" + field + "' is not valid UTF-8");
        }
    }

    private static long nonNegative(long v, String field) throws InvalidEventException {
        if (v < 0) {
            throw new InvalidEventException(
                    RejectReason.INVALID_VALUE, "field '" + field + "' must be >= 0");
        }
        return v;
    }

    static InvalidEventException malformed(String message) {
        return new InvalidEventException(
                RejectReason.MALFORMED_BINARY, "not a valid binary update: " + message);
    }
}
