package io.dflink.records;

/**
 * What a server's clients must do under FDA, carried by every round-start {@link ServerModel} so
 * that devices configure themselves from the server: the variant, the T_C local steps of a round,
 * the period of the fixed-period variants, and the seed of the shared random choices (AMS sketch
 * hashes, the first drift direction of Linear FDA).
 */
public class FdaSettings {
    /** SYNCHRONOUS, PERIODIC, NAIVE, LINEAR or SKETCH. */
    public String variant;

    /** T_C: local steps per round; the round ends with a sync after the last one. */
    public int steps;

    /** PERIODIC / SYNCHRONOUS: sync after every {@code period} local steps. */
    public int period;

    public long seed;
    public int sketchDepth;
    public int sketchWidth;

    public FdaSettings() {}
}
