package io.dflink.records;

/**
 * Where an input event came from: topic, partition, offset, key and its original bytes. Carried
 * with each event so that a later rejection can dead-letter exactly what was received.
 */
public class SourceRef {
    public String topic;
    public int partition = -1;
    public long offset = -1;
    public String key;
    public byte[] bytes;

    /** The {@code dflink-signature} header's bytes, or null (see ClientKeys). */
    public byte[] signature;

    public SourceRef() {}

    public SourceRef(String topic, int partition, long offset, String key, byte[] bytes) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.bytes = bytes;
    }
}
