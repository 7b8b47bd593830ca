package io.dflink.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes one JSON object to UTF-8 bytes; shared by the event codecs. */
final class JsonWriting {

    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build();

    /** The body of a JSON object. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonWriting() {}

    /**
     * One JSON value (not wrapped in an object), as written by {@code body}; {@code sizeHint}, the
     * expected length, spares the output buffer its growth copies.
     */
    static byte[] value(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, sizeHint));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] object(Body body) {
        return object(256, body);
    }

    /** As {@link #object(Body)}, with the expected length of the output. */
    static byte[] object(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, sizeHint));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
