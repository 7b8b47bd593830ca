package io.dflink.records;

/** Messages and bytes of one kind of communication, counted on the wire (encoded record values). */
public class Traffic {
    public long messages;
    public long bytes;

    public Traffic() {}

    public Traffic(long messages, long bytes) {
        this.messages = messages;
        this.bytes = bytes;
    }

    public void add(long messages, long bytes) {
        this.messages += messages;
        this.bytes += bytes;
    }

    public void add(Traffic other) {
        add(other.messages, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Traffic t && t.messages == messages && t.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(messages) * 31 + Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        return messages + " messages, " + bytes + " bytes";
    }
}
