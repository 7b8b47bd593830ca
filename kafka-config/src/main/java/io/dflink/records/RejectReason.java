package io.dflink.records;

/** Why an input event was dead-lettered. The names are part of the public contract. */
public enum RejectReason {
    MALFORMED_JSON,
    UNKNOWN_TYPE,
    MISSING_FIELD,
    WRONG_TYPE,
    INVALID_VALUE,
    WRONG_DIMENSION,
    NON_FINITE,
    VECTOR_TOO_LARGE,
    KEY_MISMATCH,
    UNKNOWN_SERVER,
    NOT_A_MEMBER,
    STALE_ROUND,
    BEYOND_LAST_ROUND,
    TOO_FAR_AHEAD,
    BUFFER_FULL,
    NOT_A_NEIGHBOUR,
    INVALID_TOPOLOGY,
    DISCONNECTED_GRAPH,
    INVALID_WEIGHTS,
    UNAUTHENTICATED,
    NOT_ALLOWED,
    DUPLICATE,
    UNEXPECTED_STEP,
    OUTLIER,
    TOO_STALE,

    /**
     * A binary update (magic byte 0xDF) cut short, with bytes left over or of an unknown version.
     */
    MALFORMED_BINARY
}
