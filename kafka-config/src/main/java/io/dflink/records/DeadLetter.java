package io.dflink.records;

/**
 * A rejected input event ({@code dead-letter} topic): the original bytes, where they came from and
 * why they were rejected. {@link #reasonCode} is stable for counting; {@link #reason} is for
 * people.
 */
public class DeadLetter {
    public String reasonCode;
    public String reason;
    public String sourceTopic;
    public int partition = -1;
    public long offset = -1;
    public String key;
    public byte[] original;

    public DeadLetter() {}

    public static DeadLetter of(RejectReason code, String reason, SourceRef source) {
        DeadLetter d = new DeadLetter();
        d.reasonCode = code.name();
        d.reason = reason;
        d.sourceTopic = source.topic;
        d.partition = source.partition;
        d.offset = source.offset;
        d.key = source.key;
        d.original = source.bytes;
        return d;
    }
}
