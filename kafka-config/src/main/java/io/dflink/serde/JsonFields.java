package io.dflink.serde;

import io.dflink.records.RejectReason;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed access to the fields of one JSON object, turning every problem into an {@link
 * InvalidEventException} whose message names the field. Shared by all event codecs.
 */
public final class JsonFields {

    /**
     * Accepts NaN and Infinity tokens so that such events are rejected as non-finite (with that
     * reason) rather than as malformed: Python's json module, for one, writes them.
     */
    static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .build();

    /** Reads one field's value from a parser positioned inside the object. */
    private static final ObjectReader VALUE_READER =
            MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The top-level fields that hold vectors, read straight from the parser when binary. */
    private static final Set<String> VECTOR_FIELDS = Set.of("vector", "tableMean", "sketch");

    private final JsonNode node;
    private final Map<String, Vectors.Binary> binaries;

    private JsonFields(JsonNode node, Map<String, Vectors.Binary> binaries) {
        this.node = node;
        this.binaries = binaries;
    }

    /**
     * Parses {@code bytes} as one JSON object. Binary vector fields ({@code {"f64": base64}}) are
     * decoded from the parser's buffer instead of through a tree's {@code String} (1.1 to 1.6x
     * faster F64 decoding, docs/benchmarks.md).
     */
    public static JsonFields parse(byte[] bytes) throws InvalidEventException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, "empty record value");
        }
        ObjectNode node = MAPPER.createObjectNode();
        Map<String, Vectors.Binary> binaries = new HashMap<>(2);
        try (JsonParser p = MAPPER.createParser(bytes)) {
            // the top level's duplicates are caught below by the maps that hold its fields;
            // Jackson's detector would keep a third set of names per event
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException(
                        RejectReason.MALFORMED_JSON, "the value must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (node.has(name) || binaries.containsKey(name)) {
                    throw duplicate(name);
                }
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT && VECTOR_FIELDS.contains(name)) {
                    binaries.put(name, Vectors.readBinary(p, bytes, name));
                } else if (value.isScalarValue()) {
                    node.set(name, scalar(p));
                } else {
                    // nested objects are rare (no event's hot path has one): Jackson checks them
                    p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                    node.set(name, VALUE_READER.readTree(p));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidEventException(
                        RejectReason.MALFORMED_JSON, "trailing data after the JSON object");
            }
        } catch (IOException e) {
            throw new InvalidEventException(
                    RejectReason.MALFORMED_JSON, "not valid JSON: " + firstLine(e.getMessage()));
        }
        return new JsonFields(node, binaries);
    }

    /** The reject of an object that has a field twice: readers would disagree on its value. */
    static InvalidEventException duplicate(String field) {
        return new InvalidEventException(
                RejectReason.MALFORMED_JSON, "not valid JSON: Duplicate field '" + field + "'");
    }

    /**
     * The node of the scalar at the parser, as {@code readTree} would build it (ints, longs and big
     * integers by size, doubles, text, booleans, null), without a tree reader per field: most
     * fields of a small event are scalars.
     */
    private static JsonNode scalar(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(p.getIntValue());
                    case LONG:
                        return LongNode.valueOf(p.getLongValue());
                    default:
                        return BigIntegerNode.valueOf(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return DoubleNode.valueOf(p.getDoubleValue());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.getInstance();
            default:
                return VALUE_READER.readTree(p); // embedded objects: not produced by JSON text
        }
    }

    public static JsonFields of(JsonNode node) {
        return new JsonFields(node, Map.of());
    }

    public boolean has(String field) {
        return node.hasNonNull(field) || binaries.containsKey(field);
    }

    public JsonNode required(String field) throws InvalidEventException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidEventException(
                    RejectReason.MISSING_FIELD, "missing field '" + field + "'");
        }
        return v;
    }

    public String text(String field) throws InvalidEventException {
        JsonNode v = required(field);
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw wrongType(field, "a non-empty string", v);
        }
        return v.asText();
    }

    public long nonNegativeLong(String field) throws InvalidEventException {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(field, "an integer", v);
        }
        if (v.asLong() < 0) {
            throw new InvalidEventException(
                    RejectReason.INVALID_VALUE, "field '" + field + "' must be >= 0");
        }
        return v.asLong();
    }

    public int nonNegativeInt(String field) throws InvalidEventException {
        long v = nonNegativeLong(field);
        if (v > Integer.MAX_VALUE) {
            throw new InvalidEventException(
                    RejectReason.INVALID_VALUE, "field '" + field + "' is too large");
        }
        return (int) v;
    }

    /** An array of non-empty strings. */
    public List<String> texts(String field) throws InvalidEventException {
        JsonNode v = required(field);
        if (!v.isArray()) {
            throw wrongType(field, "an array of strings", v);
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode n : v) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw wrongType(field, "an array of non-empty strings", v);
            }
            out.add(n.asText());
        }
        return out;
    }

    public double number(String field) throws InvalidEventException {
        JsonNode v = required(field);
        if (!v.isNumber()) {
            throw wrongType(field, "a number", v);
        }
        return v.doubleValue();
    }

    public boolean bool(String field) throws InvalidEventException {
        JsonNode v = required(field);
        if (!v.isBoolean()) {
            throw wrongType(field, "true or false", v);
        }
        return v.booleanValue();
    }

    public double[] vector(String field, int maxLength) throws InvalidEventException {
        Vectors.Binary binary = binaries.get(field);
        if (binary != null) {
            return binary.values(field, maxLength);
        }
        return Vectors.read(required(field), field, maxLength);
    }

    private static InvalidEventException wrongType(String field, String expected, JsonNode v) {
        return new InvalidEventException(
                RejectReason.WRONG_TYPE,
                "field '" + field + "' must be " + expected + ", got " + Vectors.abbreviate(v));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
