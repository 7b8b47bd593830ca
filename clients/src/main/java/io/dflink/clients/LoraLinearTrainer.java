package io.dflink.clients;

import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraVariant;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Local LoRA training of a linear layer o = (W0 + scale B A) x with a frozen base W0 (rows x
 * features, row-major; docs/algorithms.md §2b step 1): each round {@code steps} mini-batch Adam
 * steps on the round's trained factor only, with a fresh optimizer state per round (the
 * reproduction's choice; the paper leaves it open), so the frozen factor stays bit-identical. Two
 * heads: softmax cross-entropy over {@code rows} classes ({@link #softmax}), and squared error
 * against vector targets ({@link #leastSquares}), the synthetic task whose optimum is known.
 * Batches come from a seeded shuffle, reshuffled every epoch.
 */
public final class LoraLinearTrainer implements LoraTrainer {

    /** dL/do for one sample: writes the gradient of the sample's loss in the outputs into o. */
    interface Head {
        void outputGradient(double[] w, int sample, double[] o);
    }

    private final double[][] features;
    private final Head head;
    private final double[] base;
    private final int rows;
    private final int batchSize;
    private final int steps;
    private final double learningRate;
    private final SplittableRandom random;
    private final int[] order;
    private int next;

    private LoraLinearTrainer(
            double[][] features,
            Head head,
            double[] base,
            int rows,
            int batchSize,
            int steps,
            double learningRate,
            long seed) {
        if (features.length == 0 || batchSize < 1 || steps < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException(
                    "LoRA training needs samples, batch size >= 1, steps >= 1, learning rate > 0");
        }
        if (base.length != rows * features[0].length) {
            throw new IllegalArgumentException("the base must be rows x features");
        }
        this.features = features;
        this.head = head;
        this.base = base;
        this.rows = rows;
        this.batchSize = Math.min(batchSize, features.length);
        this.steps = steps;
        this.learningRate = learningRate;
        this.random = new SplittableRandom(seed);
        this.order = new int[features.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.next = order.length;
    }

    /** A softmax classifier over {@code classes} classes; targets are class indices. */
    public static LoraLinearTrainer softmax(
            LocalDataset data,
            double[] base,
            int classes,
            int batchSize,
            int steps,
            double learningRate,
            long seed) {
        Head head =
                (w, h, o) -> {
                    SoftmaxRegressionTrainer.probabilities(w, data.features()[h], classes, o);
                    o[(int) data.targets()[h]] -= 1;
                };
        return new LoraLinearTrainer(
                data.features(), head, base, classes, batchSize, steps, learningRate, seed);
    }

    /** Squared error 1/2 ||o - y||^2 against the rows-vectors {@code targets}. */
    public static LoraLinearTrainer leastSquares(
            double[][] features,
            double[][] targets,
            double[] base,
            int batchSize,
            int steps,
            double learningRate,
            long seed) {
        int rows = targets[0].length;
        Head head =
                (w, h, o) -> {
                    double[] x = features[h];
                    for (int c = 0; c < rows; c++) {
                        double s = 0;
                        for (int i = 0; i < x.length; i++) {
                            s += w[c * x.length + i] * x[i];
                        }
                        o[c] = s - targets[h][c];
                    }
                };
        return new LoraLinearTrainer(
                features, head, base, rows, batchSize, steps, learningRate, seed);
    }

    @Override
    public long sampleCount() {
        return features.length;
    }

    @Override
    public void train(LoraFactors f, double scale, LoraVariant.Factor trained) {
        if (f.dOut != rows || f.dIn != features[0].length) {
            throw new IllegalArgumentException(
                    "the server's adapter is for a "
                            + f.dOut
                            + " x "
                            + f.dIn
                            + " layer; this device's layer is "
                            + rows
                            + " x "
                            + features[0].length);
        }
        Optimizer optA = Optimizer.adam(learningRate);
        Optimizer optB = Optimizer.adam(learningRate);
        double[] gb = new double[f.b.length];
        double[] ga = new double[f.a.length];
        for (int s = 0; s < steps; s++) {
            gradients(f, scale, gb, ga);
            if (trained.includesB()) {
                optB.apply(f.b, gb);
            }
            if (trained.includesA()) {
                optA.apply(f.a, ga);
            }
        }
    }

    /** Mean gradients of the next batch's loss in B and A. */
    void gradients(LoraFactors f, double scale, double[] gb, double[] ga) {
        Arrays.fill(gb, 0);
        Arrays.fill(ga, 0);
        double[] w = weights(base, f, scale);
        int dim = features[0].length;
        double[] g = new double[rows];
        double[] ax = new double[f.rank];
        for (int b = 0; b < batchSize; b++) {
            int h = nextSample();
            double[] x = features[h];
            head.outputGradient(w, h, g);
            // A x, then dL/dB = scale g (A x)^T; dL/dA = scale B^T g x^T
            for (int k = 0; k < f.rank; k++) {
                double s = 0;
                for (int i = 0; i < dim; i++) {
                    s += f.a[k * dim + i] * x[i];
                }
                ax[k] = s;
            }
            for (int c = 0; c < rows; c++) {
                double gc = scale * g[c] / batchSize;
                for (int k = 0; k < f.rank; k++) {
                    gb[c * f.rank + k] += gc * ax[k];
                }
            }
            for (int k = 0; k < f.rank; k++) {
                double btg = 0;
                for (int c = 0; c < rows; c++) {
                    btg += f.b[c * f.rank + k] * g[c];
                }
                double gk = scale * btg / batchSize;
                if (gk != 0) {
                    for (int i = 0; i < dim; i++) {
                        ga[k * dim + i] += gk * x[i];
                    }
                }
            }
        }
    }

    /** W0 + scale B A. */
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
