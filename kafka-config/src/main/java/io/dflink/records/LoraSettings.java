package io.dflink.records;

/**
 * What a server's clients must do under decentralised LoRA (docs/algorithms.md §2), carried by
 * every round-start {@link ServerModel}: the variant and switching interval, which decide the
 * factor trained in each round; the adapted layer's shape ({@code rows} = d_out, {@code cols} =
 * d_in), the rank and alpha (the update is (alpha / rank) B A); the link probability and seed of
 * the servers' per-round link activation. The model vector is B (rows x rank, row-major) followed
 * by A (rank x cols, row-major).
 */
public class LoraSettings {
    /** TAD_LORA, TAD_LORA_NO_JOINT, LORA, FFA_LORA or ROLORA. */
    public String variant;

    /** T: the trained factor switches every T rounds (B first). */
    public int interval;

    public int rank;
    public double alpha;
    public int rows;
    public int cols;

    /** p: a link of the topology is active in a round with this probability. */
    public double linkProbability;

    /** Seed of the shared initialisation of A and of the link activation. */
    public long seed;

    public LoraSettings() {}
}
