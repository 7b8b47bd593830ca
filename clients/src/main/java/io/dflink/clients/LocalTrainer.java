package io.dflink.clients;

/** Local training on a device: from a starting model, return the model after the local steps. */
public interface LocalTrainer {
    double[] train(double[] start);

    /** The number of local samples: the weight of this device's updates. */
    int sampleCount();
}
