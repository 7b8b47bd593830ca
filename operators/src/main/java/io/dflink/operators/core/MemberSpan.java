package io.dflink.operators.core;

/**
 * The rounds a client announced it takes part in: from {@link #from} up to, not including, {@link
 * #until}.
 */
public class MemberSpan {
    public long from;
    public long until = Long.MAX_VALUE;

    public MemberSpan() {}

    public MemberSpan(long from) {
        this.from = from;
    }

    public boolean covers(long round) {
        return from <= round && round < until;
    }
}
