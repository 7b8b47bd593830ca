package io.dflink.operators.core.async;

/**
 * The buffered asynchronous update (FedBuff's server step, sample-weighted):
 *
 * <pre>
 *   x <- x + eta * sum_i w_i s(tau_i) delta_i / sum_i w_i
 * </pre>
 *
 * summed in buffer (log) order. With K = 1 and a constant weight it is FedAsync's x + alpha delta
 * (bit for bit: the one weight's share is exactly 1); with all deltas fresh (tau = 0), K = n and
 * eta = 1 it is the sample-weighted mean of the trained models, synchronous FedAvg.
 */
public final class BufferedUpdate {

    private BufferedUpdate() {}

    /** A new vector; {@code model} and the deltas are left alone. */
    public static double[] apply(
            double[] model,
            double[][] deltas,
            double[] weights,
            long[] staleness,
            AsyncParams params) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double[] step = new double[model.length];
        for (int i = 0; i < deltas.length; i++) {
            double c = weights[i] / total * params.staleness().of(staleness[i]);
            double[] d = deltas[i];
            for (int j = 0; j < step.length; j++) {
                step[j] += c * d[j];
            }
        }
        double[] next = model.clone();
        double eta = params.serverLearningRate();
        for (int j = 0; j < next.length; j++) {
            next[j] += eta * step[j];
        }
        return next;
    }
}
