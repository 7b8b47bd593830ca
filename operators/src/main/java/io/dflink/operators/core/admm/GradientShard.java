package io.dflink.operators.core.admm;

import java.util.SplittableRandom;

/**
 * One holder's part of an agent's samples (a device's data in the job; all of them in a reference
 * run) and what it contributes to the agent's gradient estimate at a point phi (docs/algorithms.md
 * §4b L2). Plain: the sum of the mini-batch's sample gradients. Variance-reduced: the sum of {@code
 * grad f_h(phi) - G[h]} over the batch plus the table's sum, where G is this holder's part of the
 * SAGA table. The agent adds the contributions of all holders ({@link #combine}), so splitting the
 * samples over devices gives exactly the estimator of one table over all samples.
 *
 * <p>Table updates follow decent-bench: after the step, the batch's entries are set to the gradient
 * at the new iterate phi^{t+1}. A holder only learns phi^{t+1} with the next request, so it settles
 * the previous batch then, before answering; the values are the same. VR-1 refills the whole table
 * at the first step of every round; VR-2 fills it once and keeps it.
 */
public final class GradientShard {

    /** What one holder sends for one step: batch sum and size, and its table's sum and size. */
    public record Contribution(double[] sum, int count, double[] tableSum, int samples) {}

    private final LocalProblem data;
    private final int batchSize;
    private final SplittableRandom random;
    private final int[] order;
    private double[][] table;
    private double[] tableSum;
    private int[] pending = new int[0];

    /** {@code batchSize} 0 (or at least the sample count) uses every sample in every step. */
    public GradientShard(LocalProblem data, int batchSize, long seed) {
        this.data = data;
        this.batchSize = batchSize <= 0 ? data.samples() : Math.min(batchSize, data.samples());
        this.random = new SplittableRandom(seed);
        this.order = new int[data.samples()];
        for (int h = 0; h < order.length; h++) {
            order[h] = h;
        }
    }

    public int samples() {
        return data.samples();
    }

    /** The batch-draw seed of one client under a server's seed: both ends of a test agree on it. */
    public static long seedFor(long seed, String clientId) {
        return seed * 1_000_003L + clientId.hashCode();
    }

    /** The contribution at {@code phi}; {@code firstStep} marks a round's first local step. */
    public Contribution contribute(VarianceReduction variance, double[] phi, boolean firstStep) {
        int[] batch = drawBatch();
        double[] sum = new double[data.dim()];
        double[] g = new double[data.dim()];
        if (variance == VarianceReduction.NONE) {
            for (int h : batch) {
                data.gradient(h, phi, g);
                add(sum, g, 1);
            }
            return new Contribution(sum, batch.length, null, data.samples());
        }
        if (table == null || (variance == VarianceReduction.RESET && firstStep)) {
            refill(phi);
        } else {
            settle(phi);
        }
        for (int h : batch) {
            data.gradient(h, phi, g);
            add(sum, g, 1);
            add(sum, table[h], -1);
        }
        pending = batch;
        return new Contribution(sum, batch.length, tableSum.clone(), data.samples());
    }

    /**
     * The agent's estimate from all holders' contributions: (1/b) sum of batch sums, plus (1/m) sum
     * of table sums when variance-reduced (b and m summed over the holders).
     */
    public static double[] combine(Iterable<Contribution> parts, int dim) {
        double[] batch = new double[dim];
        double[] tables = new double[dim];
        int b = 0;
        int m = 0;
        boolean reduced = false;
        for (Contribution c : parts) {
            add(batch, c.sum(), 1);
            b += c.count();
            if (c.tableSum() != null) {
                add(tables, c.tableSum(), 1);
                reduced = true;
            }
            m += c.samples();
        }
        double[] g = new double[dim];
        for (int k = 0; k < dim; k++) {
            g[k] = batch[k] / b + (reduced ? tables[k] / m : 0);
        }
        return g;
    }

    /** Every entry of the table at {@code point}. */
    private void refill(double[] point) {
        table = new double[data.samples()][data.dim()];
        tableSum = new double[data.dim()];
        for (int h = 0; h < table.length; h++) {
            data.gradient(h, point, table[h]);
            add(tableSum, table[h], 1);
        }
        pending = new int[0];
    }

    /** The previous step's batch entries at the new iterate {@code point}. */
    private void settle(double[] point) {
        double[] g = new double[data.dim()];
        for (int h : pending) {
            data.gradient(h, point, g);
            for (int k = 0; k < g.length; k++) {
                tableSum[k] += g[k] - table[h][k];
                table[h][k] = g[k];
            }
        }
        pending = new int[0];
    }

    /** b distinct samples by a partial Fisher-Yates shuffle of a seeded stream; all when b = m. */
    private int[] drawBatch() {
        if (batchSize == order.length) {
            return order.clone();
        }
        int[] batch = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            int j = i + random.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            batch[i] = order[i];
        }
        return batch;
    }

    private static void add(double[] y, double[] x, double a) {
        for (int k = 0; k < y.length; k++) {
            y[k] += a * x[k];
        }
    }
}
