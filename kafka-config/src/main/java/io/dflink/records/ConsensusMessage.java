package io.dflink.records;

/**
 * A server-to-neighbour message of the feedback stream ({@code consensus} topic, key = {@link
 * #to}). Identified by (from, round, step, kind), which makes re-delivery harmless.
 */
public class ConsensusMessage {
    /** DFL's gossip payload: the sender's consensus iterate v^step. */
    public static final String KIND_DFL_MODEL = "dfl-model";

    public String from;
    public String to;
    public long round;
    public int step;
    public String kind;
    public double[] vector;

    public ConsensusMessage() {}

    public ConsensusMessage(
            String from, String to, long round, int step, String kind, double[] vector) {
        this.from = from;
        this.to = to;
        this.round = round;
        this.step = step;
        this.kind = kind;
        this.vector = vector;
    }
}
