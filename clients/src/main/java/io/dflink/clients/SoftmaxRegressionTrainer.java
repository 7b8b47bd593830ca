package io.dflink.clients;

import java.util.SplittableRandom;

/**
 * Multinomial logistic (softmax) regression trained by mini-batch steps: the model is the {@code
 * classes x features} weight matrix, row-major (put a constant 1 feature in the data for a bias).
 * Each step takes the next {@code batchSize} samples of a seeded shuffle (reshuffled every epoch)
 * and applies the {@link Optimizer} to the mean cross-entropy gradient. Targets are class indices.
 */
public final class SoftmaxRegressionTrainer implements LocalTrainer {

    private final LocalDataset data;
    private final int classes;
    private final int batchSize;
    private final Optimizer optimizer;
    private final SplittableRandom random;
    private final int[] order;
    private int next;

    public SoftmaxRegressionTrainer(
            LocalDataset data, int classes, int batchSize, Optimizer optimizer, long seed) {
        if (classes < 2 || batchSize < 1) {
            throw new IllegalArgumentException("need >= 2 classes and a batch size >= 1");
        }
        for (double y : data.targets()) {
            if (y != Math.rint(y) || y < 0 || y >= classes) {
                throw new IllegalArgumentException("targets must be class indices, got " + y);
            }
        }
        this.data = data;
        this.classes = classes;
        this.batchSize = Math.min(batchSize, data.size());
        this.optimizer = optimizer;
        this.random = new SplittableRandom(seed);
        this.order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.next = order.length; // shuffle before the first batch
    }

    /** Model dimension for {@code features} inputs (bias included) and {@code classes}. */
    public static int dim(int features, int classes) {
        return features * classes;
    }

    @Override
    public void step(double[] w) {
        int features = data.dim();
        if (w.length != features * classes) {
            throw new IllegalArgumentException(
                    "model has " + w.length + " values, expected " + features * classes);
        }
        double[] grad = new double[w.length];
        double[] p = new double[classes];
        for (int b = 0; b < batchSize; b++) {
            int k = nextSample();
            double[] x = data.features()[k];
            probabilities(w, x, classes, p);
            p[(int) data.targets()[k]] -= 1;
            for (int c = 0; c < classes; c++) {
                double g = p[c] / batchSize;
                int row = c * features;
                for (int i = 0; i < features; i++) {
                    grad[row + i] += g * x[i];
                }
            }
        }
        optimizer.apply(w, grad);
    }

    @Override
    public int sampleCount() {
        return data.size();
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

    /** p = softmax(W x), computed stably. */
    public static void probabilities(double[] w, double[] x, int classes, double[] p) {
        int features = x.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            double z = 0;
            int row = c * features;
            for (int i = 0; i < features; i++) {
                z += w[row + i] * x[i];
            }
            p[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
    }

    /** The fraction of samples whose most probable class under {@code w} is their target. */
    public static double accuracy(double[] w, LocalDataset test, int classes) {
        int right = 0;
        double[] p = new double[classes];
        for (int k = 0; k < test.size(); k++) {
            probabilities(w, test.features()[k], classes, p);
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            if (best == (int) test.targets()[k]) {
                right++;
            }
        }
        return (double) right / test.size();
    }

    /** Mean cross-entropy of {@code w} on {@code test}. */
    public static double loss(double[] w, LocalDataset test, int classes) {
        double sum = 0;
        double[] p = new double[classes];
        for (int k = 0; k < test.size(); k++) {
            probabilities(w, test.features()[k], classes, p);
            sum -= Math.log(Math.max(p[(int) test.targets()[k]], 1e-300));
        }
        return sum / test.size();
    }
}
