package io.dflink.serde;

import io.dflink.records.RejectReason;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads and writes the vector value of dflink's events: {@code [1.5, 2.0]}, {@code {"f64": "<base64
 * little-endian float64>"}} or {@code {"f32": "<base64 little-endian float32>"}}. Values are not
 * checked for finiteness here; validation decides what to do with NaN and infinities.
 */
public final class Vectors {

    private Vectors() {}

    /** Decodes a vector field, refusing vectors longer than {@code maxLength}. */
    public static double[] read(JsonNode node, String field, int maxLength)
            throws InvalidEventException {
        if (node.isArray()) {
            return readArray(node, field, maxLength);
        }
        if (node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.fields().next();
            if (only.getValue().isTextual()) {
                switch (only.getKey()) {
                    case "f64":
                        return readBinary(only.getValue().asText(), 8, field, maxLength);
                    case "f32":
                        return readBinary(only.getValue().asText(), 4, field, maxLength);
                    default:
                        break;
                }
            }
        }
        throw notAVector(field);
    }

    private static double[] readArray(JsonNode node, String field, int maxLength)
            throws InvalidEventException {
        checkLength(node.size(), field, maxLength);
        double[] v = new double[node.size()];
        Iterator<JsonNode> it = node.elements();
        for (int i = 0; i < v.length; i++) {
            JsonNode x = it.next();
            if (!x.isNumber()) {
                throw new InvalidEventException(
                        RejectReason.WRONG_TYPE,
                        "field '" + field + "'[" + i + "] is not a number: " + abbreviate(x));
            }
            v[i] = x.doubleValue();
        }
        return v;
    }

    /** A binary vector's bytes, decoded from base64 while parsing, and its value width. */
    record Binary(byte[] bytes, int width) {

        double[] values(String field, int maxLength) throws InvalidEventException {
            return fromBytes(bytes, width, field, maxLength);
        }
    }

    /**
     * Reads {@code {"f64"|"f32": base64}} with the parser at its START_OBJECT; anything else in
     * that object is a {@code WRONG_TYPE}. {@code source}, the bytes the parser reads, lets the
     * base64 be decoded in one tight pass straight from the record (the JDK's decoder on the
     * string's byte range) while the parser only skips over it; without it, the parser decodes.
     */
    static Binary readBinary(JsonParser p, byte[] source, String field)
            throws IOException, InvalidEventException {
        int width = 0;
        String key = null;
        if (p.nextToken() == JsonToken.FIELD_NAME) {
            key = p.currentName();
            width = "f64".equals(key) ? 8 : "f32".equals(key) ? 4 : 0;
        }
        if (width == 0 || p.nextToken() != JsonToken.VALUE_STRING) {
            throw notAVector(field);
        }
        long start = p.currentTokenLocation().getByteOffset();
        if (source == null || start < 0 || start >= source.length || source[(int) start] != '"') {
            return new Binary(parserDecoded(p, key, field), width);
        }
        expectEnd(p, key, field);
        int end = (int) p.currentTokenLocation().getByteOffset(); // the object's '}'
        while (end > start && source[end] != '"') {
            end--; // back over any whitespace to the string's closing quote
        }
        int from = (int) start + 1;
        try {
            ByteBuffer decoded =
                    Base64.getDecoder().decode(ByteBuffer.wrap(source, from, end - from));
            return new Binary(exactArray(decoded), width);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    RejectReason.WRONG_TYPE, "field '" + field + "' is not valid base64");
        }
    }

    private static byte[] parserDecoded(JsonParser p, String key, String field)
            throws IOException, InvalidEventException {
        byte[] bytes;
        try {
            bytes = p.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
        } catch (JsonParseException e) {
            throw new InvalidEventException(
                    RejectReason.WRONG_TYPE, "field '" + field + "' is not valid base64");
        }
        expectEnd(p, key, field);
        return bytes;
    }

    /** The binary vector's object ends after its one field; its key again is a duplicate. */
    private static void expectEnd(JsonParser p, String key, String field)
            throws IOException, InvalidEventException {
        JsonToken next = p.nextToken();
        if (next == JsonToken.FIELD_NAME && key.equals(p.currentName())) {
            throw JsonFields.duplicate(key);
        }
        if (next != JsonToken.END_OBJECT) {
            throw notAVector(field);
        }
    }

    private static byte[] exactArray(ByteBuffer b) {
        if (b.hasArray() && b.arrayOffset() == 0 && b.remaining() == b.array().length) {
            return b.array();
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static InvalidEventException notAVector(String field) {
        return new InvalidEventException(
                RejectReason.WRONG_TYPE,
                "field '" + field + "' must be an array of numbers or {\"f64\"|\"f32\": base64}");
    }

    private static double[] readBinary(String base64, int width, String field, int maxLength)
            throws InvalidEventException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    RejectReason.WRONG_TYPE, "field '" + field + "' is not valid base64");
        }
        return fromBytes(bytes, width, field, maxLength);
    }

    private static double[] fromBytes(byte[] bytes, int width, String field, int maxLength)
            throws InvalidEventException {
        if (bytes.length % width != 0) {
            throw new InvalidEventException(
                    RejectReason.INVALID_VALUE,
                    "field '"
                            + field
                            + "' has "
                            + bytes.length
                            + " bytes, not a multiple of "
                            + width);
        }
        checkLength(bytes.length / width, field, maxLength);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[bytes.length / width];
        if (width == 8) {
            buf.asDoubleBuffer().get(v); // one bulk copy, not a call per value
        } else {
            float[] f = new float[v.length];
            buf.asFloatBuffer().get(f);
            for (int i = 0; i < v.length; i++) {
                v[i] = f[i];
            }
        }
        return v;
    }

    static void checkLength(long length, String field, int maxLength) throws InvalidEventException {
        if (length > maxLength) {
            throw new InvalidEventException(
                    RejectReason.VECTOR_TOO_LARGE,
                    "field '" + field + "' has " + length + " values, the limit is " + maxLength);
        }
    }

    /**
     * The bytes {@link #write} produces for {@code v} (finite values), without writing them: for
     * the communication accounting, which must not encode every vector a second time.
     */
    public static long encodedLength(double[] v, VectorEncoding encoding) {
        switch (encoding) {
            case ARRAY:
                long n = 2 + Math.max(0, v.length - 1); // brackets and commas
                for (double x : v) {
                    n += Double.toString(x).length(); // what Jackson writes for a double
                }
                return n;
            case F64:
                return binaryLength(v.length, 8);
            case F32:
                return binaryLength(v.length, 4);
            default:
                throw new IllegalArgumentException("unknown encoding " + encoding);
        }
    }

    /**
     * About the bytes {@code v} takes when written in {@code encoding}, at once: exact for binary,
     * an upper estimate of 24 bytes per value for arrays. Sizes output buffers.
     */
    public static int sizeHint(double[] v, VectorEncoding encoding) {
        long n =
                v == null
                        ? 0
                        : encoding == VectorEncoding.ARRAY
                                ? 24L * v.length
                                : encodedLength(v, encoding);
        return (int) Math.min(Integer.MAX_VALUE - 1024, n);
    }

    /** {"f64":"<base64>"}: 10 bytes of JSON around the base64 of n values of w bytes. */
    private static long binaryLength(int n, int width) {
        return 10 + 4 * (((long) n * width + 2) / 3);
    }

    /** Writes {@code v} as a field value in the given encoding. */
    public static void write(JsonGenerator g, double[] v, VectorEncoding encoding)
            throws IOException {
        switch (encoding) {
            case ARRAY:
                // Jackson writes the shortest decimal that parses back to the same double
                g.writeArray(v, 0, v.length);
                break;
            case F64:
                writeBinary(g, "f64", v, 8);
                break;
            case F32:
                writeBinary(g, "f32", v, 4);
                break;
            default:
                throw new IllegalArgumentException("unknown encoding " + encoding);
        }
    }

    private static void writeBinary(JsonGenerator g, String tag, double[] v, int width)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(v.length * width).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 8) {
            buf.asDoubleBuffer().put(v);
        } else {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            buf.asFloatBuffer().put(f);
        }
        // standard base64 with padding, by the JDK's encoder (3-4x faster than the generator's
        // own per-triplet loop), written as a string that needs no escaping
        byte[] base64 = Base64.getEncoder().encode(buf.array());
        g.writeStartObject();
        g.writeFieldName(tag);
        if (g instanceof UTF8JsonGenerator) {
            g.writeRawUTF8String(base64, 0, base64.length);
        } else {
            g.writeString(new String(base64, StandardCharsets.ISO_8859_1));
        }
        g.writeEndObject();
    }

    static String abbreviate(JsonNode x) {
        String s = x.toString();
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
