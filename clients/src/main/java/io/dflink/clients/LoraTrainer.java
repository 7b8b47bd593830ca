package io.dflink.clients;

import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraVariant;

/**
 * A device's local training under decentralised LoRA (docs/algorithms.md §2b step 1): from the
 * round's factors, train the factor(s) the round names and leave the other bit-identical.
 */
public interface LoraTrainer {

    /** The round's local training of {@code trained}, in place; the update is scale B A. */
    void train(LoraFactors factors, double scale, LoraVariant.Factor trained);

    /** The device's sample count: its weight in the server's average. */
    long sampleCount();
}
