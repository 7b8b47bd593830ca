package io.dflink.operators.core.lora;

import io.dflink.operators.core.math.Vec;

import java.util.List;

/**
 * Mixing of LoRA factors and the quantities TAD-LoRA is judged by (docs/algorithms.md §2b step 3,
 * §2f): X_i <- sum_j W_ij X_j for the mixed factors, the cross term C = (1/m) sum_i (B_i -
 * Bbar)(A_i - Abar) with its identity (1/m) sum_i B_i A_i = Bbar Abar + C, and the disagreement ||X
 * - J X||_F.
 */
public final class LoraMixing {

    private LoraMixing() {}

    /** One mixing step of the given factors with W (rows in client order), in place. */
    public static void mix(List<LoraFactors> clients, double[][] w, LoraVariant.Factor factors) {
        int m = clients.size();
        double[][] nextA = new double[m][];
        double[][] nextB = new double[m][];
        for (int i = 0; i < m; i++) {
            nextA[i] = new double[clients.get(i).a.length];
            nextB[i] = new double[clients.get(i).b.length];
            for (int j = 0; j < m; j++) {
                if (w[i][j] == 0) {
                    continue;
                }
                Vec.axpy(w[i][j], clients.get(j).a, nextA[i]);
                Vec.axpy(w[i][j], clients.get(j).b, nextB[i]);
            }
        }
        for (int i = 0; i < m; i++) {
            if (factors.includesA()) {
                clients.get(i).a = nextA[i];
            }
            if (factors.includesB()) {
                clients.get(i).b = nextB[i];
            }
        }
    }

    /** Abar or Bbar. */
    public static double[] mean(List<LoraFactors> clients, boolean factorA) {
        double[] mean = new double[(factorA ? clients.get(0).a : clients.get(0).b).length];
        for (LoraFactors f : clients) {
            Vec.axpy(1.0 / clients.size(), factorA ? f.a : f.b, mean);
        }
        return mean;
    }

    /** C = (1/m) sum_i (B_i - Bbar)(A_i - Abar), d_out x d_in. */
    public static double[] crossTerm(List<LoraFactors> clients) {
        LoraFactors first = clients.get(0);
        double[] abar = mean(clients, true);
        double[] bbar = mean(clients, false);
        double[] c = new double[first.dOut * first.dIn];
        for (LoraFactors f : clients) {
            double[] db = f.b.clone();
            double[] da = f.a.clone();
            Vec.axpy(-1, bbar, db);
            Vec.axpy(-1, abar, da);
            Vec.axpy(
                    1.0 / clients.size(),
                    LoraFactors.multiply(db, da, first.dOut, first.rank, first.dIn),
                    c);
        }
        return c;
    }

    /** (1/m) sum_i B_i A_i. */
    public static double[] meanProduct(List<LoraFactors> clients) {
        LoraFactors first = clients.get(0);
        double[] p = new double[first.dOut * first.dIn];
        for (LoraFactors f : clients) {
            Vec.axpy(1.0 / clients.size(), f.product(), p);
        }
        return p;
    }

    /** ||X - J X||_F over the clients' copies of factor A or B. */
    public static double disagreement(List<LoraFactors> clients, boolean factorA) {
        double[] mean = mean(clients, factorA);
        double sum = 0;
        for (LoraFactors f : clients) {
            double[] x = factorA ? f.a : f.b;
            for (int k = 0; k < x.length; k++) {
                double d = x[k] - mean[k];
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    public static double frobenius(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
