package io.dflink.records;

/**
 * What a server's clients must do under LT-ADMM, carried by every round-start {@link ServerModel}:
 * the variance reduction, the tau local steps of a round, the mini-batch size per client (0 = all
 * local samples), and the seed of the clients' batch draws.
 */
public class AdmmSettings {
    /** NONE, RESET (VR-1) or SAGA (VR-2). */
    public String variance;

    public int tau;
    public int batchSize;
    public long seed;

    public AdmmSettings() {}
}
