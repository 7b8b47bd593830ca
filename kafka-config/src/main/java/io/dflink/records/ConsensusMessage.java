package io.dflink.records;

import java.util.List;

/**
 * A server-to-neighbour message of the feedback stream ({@code consensus} topic, key = {@link
 * #to}). Identified by (from, round, step, kind), which makes re-delivery harmless.
 */
public class ConsensusMessage {
    /** DFL's gossip payload: the sender's consensus iterate v^step. */
    public static final String KIND_DFL_MODEL = "dfl-model";

    /**
     * "I have waited too long for your first iterate of this round; may we both leave our link out
     * of it?" Sent by a server stuck at step 0; carries an empty vector.
     */
    /** LT-ADMM: m_{i->j} = z_ij - 2 rho x_i after the round's local steps. */
    public static final String KIND_ADMM_Z = "admm-z";

    /**
     * LT-ADMM: the first exchange over an edge carries x_i; both ends set z = rho (x_i + x_j)/2.
     */
    public static final String KIND_ADMM_INIT = "admm-init";

    /** Decentralised LoRA: the sender's A factor after its client phase (active-A rounds). */
    public static final String KIND_LORA_A = "lora-a";

    /** Decentralised LoRA: the sender's B factor after its client phase (active-B rounds). */
    public static final String KIND_LORA_B = "lora-b";

    /** Decentralised LoRA: both factors, B then A, for the variants that mix both. */
    public static final String KIND_LORA_AB = "lora-ab";

    /**
     * Server-tier FDA: the summaries (last consensus round, then the model or its AMS sketch) of
     * the servers named in {@link #origins}, concatenated in that order, that the sender learnt in
     * the previous step of the round's variance flood.
     */
    public static final String KIND_FDA_VARIANCE = "fda-variance";

    /**
     * "You join the federation in this round: here is my model of it." Sent once by each
     * established neighbour of a server that joins at {@link #round}; step 0.
     */
    public static final String KIND_JOIN_MODEL = "join-model";

    public static final String KIND_SKIP_REQUEST = "skip-request";

    /**
     * "Agreed: I have not started this round's consensus and will not use our link in it." The only
     * answer to a skip request; without it the requester keeps waiting for the model.
     */
    public static final String KIND_SKIP_ACK = "skip-ack";

    /** True for the link-skip control kinds, which carry no vector. */
    public boolean isSkipControl() {
        return KIND_SKIP_REQUEST.equals(kind) || KIND_SKIP_ACK.equals(kind);
    }

    public String from;
    public String to;
    public long round;
    public int step;
    public String kind;
    public double[] vector;

    /** {@link #KIND_FDA_VARIANCE} only: whose summaries {@link #vector} carries; else null. */
    public List<String> origins;

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
