package io.dflink.tools.bench;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.ServerModel;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.ServerModelCodec;

/**
 * Decodes what the in-process federations' own servers and devices encoded, as its receivers would:
 * such bytes are always valid, so a failure is a bug of the codecs, not bad input.
 */
final class ReadBack {

    private ReadBack() {}

    static ClientUpdate update(byte[] bytes) {
        try {
            return ClientUpdateCodec.decode(bytes, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            throw unreadable(e);
        }
    }

    static ServerModel model(byte[] bytes) {
        try {
            return ServerModelCodec.decode(bytes, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            throw unreadable(e);
        }
    }

    static ConsensusMessage consensus(byte[] bytes) {
        try {
            return ConsensusMessageCodec.decode(bytes, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            throw unreadable(e);
        }
    }

    static ControlEvent control(byte[] bytes) {
        try {
            return ControlEventCodec.decode(bytes);
        } catch (InvalidEventException e) {
            throw unreadable(e);
        }
    }

    private static IllegalStateException unreadable(InvalidEventException e) {
        return new IllegalStateException("an event written in process cannot be read back", e);
    }
}
