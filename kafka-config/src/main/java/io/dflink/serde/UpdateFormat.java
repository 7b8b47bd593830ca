package io.dflink.serde;

/**
 * The value format of a {@code client-updates} record, chosen by its producer per record: JSON text
 * (the schema), or the compact binary layout of {@link BinaryClientUpdateCodec}. The job reads both
 * on the same topic.
 */
public enum UpdateFormat {
    JSON,
    BINARY
}
