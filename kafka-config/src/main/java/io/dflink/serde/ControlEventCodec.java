package io.dflink.serde;

import io.dflink.records.ControlEvent;
import io.dflink.records.RejectReason;

/** JSON codec of {@link ControlEvent}; schema: {@code schemas/control-event.schema.json}. */
public final class ControlEventCodec {

    private ControlEventCodec() {}

    public static ControlEvent decode(byte[] bytes) throws InvalidEventException {
        JsonFields f = JsonFields.parse(bytes);
        String type = f.text("type");
        if (!ControlEvent.FDA_CONTINUE.equals(type) && !ControlEvent.FDA_SYNC.equals(type)) {
            throw new InvalidEventException(
                    RejectReason.UNKNOWN_TYPE, "unknown control event type '" + type + "'");
        }
        return new ControlEvent(
                type,
                f.text("serverId"),
                f.nonNegativeLong("round"),
                f.nonNegativeInt("step"),
                f.has("estimate") ? f.number("estimate") : Double.NaN);
    }

    public static byte[] encode(ControlEvent e) {
        return JsonWriting.object(
                g -> {
                    g.writeStringField("type", e.type);
                    g.writeStringField("serverId", e.serverId);
                    g.writeNumberField("round", e.round);
                    g.writeNumberField("step", e.step);
                    if (Double.isFinite(e.estimate)) {
                        g.writeNumberField("estimate", e.estimate);
                    }
                });
    }
}
