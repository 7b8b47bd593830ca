package io.dflink.operators.core.admm;

import io.dflink.operators.core.math.Vec;

import java.util.Collection;

/**
 * The equations of LT-ADMM (docs/algorithms.md §4b, lines L0-L5, as in the co-author's
 * decent-bench), on {@code double[]}: the frozen penalty of a round, a local step, the message to a
 * neighbour, the relaxed update of an edge variable on receipt, and the initial value of a new
 * edge's variables.
 */
public final class LtAdmm {

    private LtAdmm() {}

    /** L0: c_i = beta (rho |N_i| x_i - sum_j z_ij), frozen for the round. */
    public static double[] frozenPenalty(AdmmParams p, double[] x, Collection<double[]> z) {
        double[] c = Vec.scaled(p.rho() * z.size(), x);
        for (double[] zij : z) {
            Vec.axpy(-1, zij, c);
        }
        Vec.scale(p.beta(), c);
        return c;
    }

    /** L2: phi <- phi - gamma g - c, in place. */
    public static void localStep(AdmmParams p, double[] phi, double[] g, double[] c) {
        for (int k = 0; k < phi.length; k++) {
            phi[k] -= p.gamma() * g[k] + c[k];
        }
    }

    /** L4: m_{i->j} = z_ij - 2 rho x_i (with x_i the round's new iterate). */
    public static double[] message(AdmmParams p, double[] zij, double[] x) {
        double[] m = zij.clone();
        Vec.axpy(-2 * p.rho(), x, m);
        return m;
    }

    /** L5: z_ij <- (1 - alpha) z_ij - alpha m_{j->i}, in place. */
    public static void receive(AdmmParams p, double[] zij, double[] fromJ) {
        for (int k = 0; k < zij.length; k++) {
            zij[k] = (1 - p.alpha()) * zij[k] - p.alpha() * fromJ[k];
        }
    }

    /**
     * z_ij = z_ji = rho (x_i + x_j) / 2 for an edge that appears (docs/algorithms.md §5.2): the
     * value that keeps the invariant z_ij + z_ji = rho (x_i + x_j) of alpha = 1/2.
     */
    public static double[] newEdge(AdmmParams p, double[] xi, double[] xj) {
        double[] z = new double[xi.length];
        for (int k = 0; k < z.length; k++) {
            z[k] = p.rho() * (xi[k] + xj[k]) / 2;
        }
        return z;
    }
}
