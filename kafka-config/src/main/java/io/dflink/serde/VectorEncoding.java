package io.dflink.serde;

/**
 * How vectors are written: a JSON array of numbers (exact for doubles), or base64 of little-endian
 * float64 / float32 for large models. Readers accept all three.
 */
public enum VectorEncoding {
    ARRAY,
    F64,
    F32
}
