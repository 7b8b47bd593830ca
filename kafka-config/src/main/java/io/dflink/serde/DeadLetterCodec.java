package io.dflink.serde;

import io.dflink.records.DeadLetter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * JSON codec of {@link DeadLetter}; schema: {@code schemas/dead-letter.schema.json}. The original
 * bytes travel as base64 ({@code original}), and as text ({@code originalText}) when they are
 * UTF-8.
 */
public final class DeadLetterCodec {

    private DeadLetterCodec() {}

    public static byte[] encode(DeadLetter d) {
        return JsonWriting.object(
                g -> {
                    g.writeStringField("reasonCode", d.reasonCode);
                    g.writeStringField("reason", d.reason);
                    g.writeStringField("sourceTopic", d.sourceTopic);
                    g.writeNumberField("partition", d.partition);
                    g.writeNumberField("offset", d.offset);
                    if (d.key != null) {
                        g.writeStringField("key", d.key);
                    }
                    byte[] original = d.original == null ? new byte[0] : d.original;
                    g.writeStringField("original", Base64.getEncoder().encodeToString(original));
                    String text = utf8OrNull(original);
                    if (text != null) {
                        g.writeStringField("originalText", text);
                    }
                });
    }

    public static DeadLetter decode(byte[] bytes) throws InvalidEventException {
        JsonFields f = JsonFields.parse(bytes);
        DeadLetter d = new DeadLetter();
        d.reasonCode = f.text("reasonCode");
        d.reason = f.text("reason");
        d.sourceTopic = f.text("sourceTopic");
        d.partition = (int) f.number("partition");
        d.offset = (long) f.number("offset");
        d.key = f.has("key") ? f.text("key") : null;
        d.original = Base64.getDecoder().decode(f.required("original").asText());
        return d;
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
