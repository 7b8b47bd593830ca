package io.dflink.clients;

import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraVariant;

import java.util.SplittableRandom;

/**
 * Local LoRA training of a softmax classifier (ALGORITHMS.md §2b step 1): logits = (W0 + (alpha/r)
 * B A) x with a frozen base W0 ({@code classes x features}); each round the client takes {@code
 * steps} mini-batch Adam steps on the round's active factor only, with a fresh optimizer state per
 * round (the reproduction's choice; the paper leaves it open), so the frozen factor stays
 * bit-identical. Batches come from a seeded shuffle, reshuffled every epoch.
 */
public final class LoraSoftmaxTrainer {

    private final LocalDataset data;
    private final double[] base;
    private final int classes;
    private final double scale;
    private final int batchSize;
    private final int steps;
    private final double learningRate;
    private final SplittableRandom random;
    private final int[] order;
    private int next;

    public LoraSoftmaxTrainer(
            LocalDataset data,
            double[] base,
            int classes,
            double alpha,
            int rank,
            int batchSize,
            int steps,
            double learningRate,
            long seed) {
        this.data = data;
        this.base = base;
        this.classes = classes;
        this.scale = alpha / rank;
        this.batchSize = Math.min(batchSize, data.size());
        this.steps = steps;
        this.learningRate = learningRate;
        this.random = new SplittableRandom(seed);
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.next = order.length;
    }

    /** The round's local training of {@code trained} (A, B or both), in place. */
    public void train(LoraFactors f, LoraVariant.Factor trained) {
        Optimizer optA = Optimizer.adam(learningRate);
        Optimizer optB = Optimizer.adam(learningRate);
        double[] gb = new double[f.b.length];
        double[] ga = new double[f.a.length];
        for (int s = 0; s < steps; s++) {
            gradients(f, gb, ga);
            if (trained.includesB()) {
                optB.apply(f.b, gb);
            }
            if (trained.includesA()) {
                optA.apply(f.a, ga);
            }
        }
    }

    /** Mean gradients of the next batch's cross-entropy in B and A. */
    void gradients(LoraFactors f, double[] gb, double[] ga) {
        java.util.Arrays.fill(gb, 0);
        java.util.Arrays.fill(ga, 0);
        double[] w = weights(base, f, scale);
        int features = data.dim();
        double[] p = new double[classes];
        double[] ax = new double[f.rank];
        for (int b = 0; b < batchSize; b++) {
            int h = nextSample();
            double[] x = data.features()[h];
            SoftmaxRegressionTrainer.probabilities(w, x, classes, p);
            p[(int) data.targets()[h]] -= 1; // dL/dlogits
            // A x, then dL/dB = scale (p - e_y) (A x)^T; dL/dA = scale B^T (p - e_y) x^T
            for (int k = 0; k < f.rank; k++) {
                double s = 0;
                for (int i = 0; i < features; i++) {
                    s += f.a[k * features + i] * x[i];
                }
                ax[k] = s;
            }
            for (int c = 0; c < classes; c++) {
                double g = scale * p[c] / batchSize;
                for (int k = 0; k < f.rank; k++) {
                    gb[c * f.rank + k] += g * ax[k];
                }
            }
            for (int k = 0; k < f.rank; k++) {
                double btp = 0;
                for (int c = 0; c < classes; c++) {
                    btp += f.b[c * f.rank + k] * p[c];
                }
                double g = scale * btp / batchSize;
                if (g != 0) {
                    for (int i = 0; i < features; i++) {
                        ga[k * features + i] += g * x[i];
                    }
                }
            }
        }
    }

    /** W0 + (alpha / r) B A. */
    public static double[] weights(double[] base, LoraFactors f, double scale) {
        double[] w = base.clone();
        double[] ba = f.product();
        for (int k = 0; k < w.length; k++) {
            w[k] += scale * ba[k];
        }
        return w;
    }

    private int nextSample() {
        if (next == order.length) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            next = 0;
        }
        return order[next++];
    }
}
