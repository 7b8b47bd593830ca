package io.dflink.operators.core.lora;

import java.util.SplittableRandom;

/**
 * One adapted layer's LoRA factors as plain POJO state: B (d_out x r) and A (r x d_in), row-major
 * {@code double[]}s; the layer's update is (alpha / r) B A.
 */
public class LoraFactors {
    public int dOut;
    public int dIn;
    public int rank;
    public double[] b;
    public double[] a;

    public LoraFactors() {}

    public LoraFactors(int dOut, int dIn, int rank, double[] b, double[] a) {
        this.dOut = dOut;
        this.dIn = dIn;
        this.rank = rank;
        this.b = b;
        this.a = a;
    }

    /**
     * The shared initialisation: B = 0 and A uniform in +-1/sqrt(d_in) (Kaiming-uniform's bound for
     * a linear layer) from {@code seed}, the same at every client.
     */
    public static LoraFactors initial(int dOut, int dIn, int rank, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(dIn);
        double[] a = new double[rank * dIn];
        for (int k = 0; k < a.length; k++) {
            a[k] = (2 * rnd.nextDouble() - 1) * bound;
        }
        return new LoraFactors(dOut, dIn, rank, new double[dOut * rank], a);
    }

    public LoraFactors copy() {
        return new LoraFactors(dOut, dIn, rank, b.clone(), a.clone());
    }

    /** B A, d_out x d_in, row-major. */
    public double[] product() {
        return multiply(b, a, dOut, rank, dIn);
    }

    /** X (n x k) times Y (k x m), row-major. */
    static double[] multiply(double[] x, double[] y, int n, int k, int m) {
        double[] z = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double xil = x[i * k + l];
                if (xil == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    z[i * m + j] += xil * y[l * m + j];
                }
            }
        }
        return z;
    }
}
