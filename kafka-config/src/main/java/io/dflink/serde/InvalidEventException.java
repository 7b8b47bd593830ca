package io.dflink.serde;

import io.dflink.records.RejectReason;

/** An input event that cannot be accepted, with the stable reason code and a readable message. */
public class InvalidEventException extends Exception {
    private final RejectReason reason;

    public InvalidEventException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
