package io.dflink.clients;

/**
 * Local training on a device, one optimisation step at a time: DFL's clients take T_C of them per
 * round, FDA's clients report their drift after each. An implementation keeps its optimizer state
 * (momentum, Adam moments, batch order) across steps, rounds and syncs: a sync overwrites the model
 * only (docs/algorithms.md §3a).
 */
public interface LocalTrainer {

    /** One local step on {@code w}, in place. */
    void step(double[] w);

    /** The number of local samples: the weight of this device's updates. */
    int sampleCount();

    /** {@code steps} local steps from {@code start}, on a copy. */
    default double[] train(double[] start, int steps) {
        double[] w = start.clone();
        for (int t = 0; t < steps; t++) {
            step(w);
        }
        return w;
    }
}
