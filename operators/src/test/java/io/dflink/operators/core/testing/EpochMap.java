package io.dflink.operators.core.testing;

import io.dflink.operators.core.math.Linalg;
import io.dflink.operators.core.testing.DflSimulation.ClientData;

import java.util.List;
import java.util.Map;

/**
 * The closed form of one DFL epoch for quadratic losses (docs/algorithms.md §1f.3), built as dense
 * matrices independently of the state machine: {@code W' = (A^{T_S} ⊗ I)(blockdiag(Pbar) W + c)},
 * with {@code P_ij = (I - gamma H_ij)^{T_C}}, {@code Pbar_i} the mean of P_ij and {@code c_i} the
 * mean of {@code (I - P_ij) wt_ij}; and its fixed point.
 */
public final class EpochMap {

    private final double[][] mixing; // (A^{T_S} ⊗ I), Md x Md
    private final double[][] pbar; // blockdiag(Pbar_i), Md x Md
    private final double[] c;

    private EpochMap(double[][] mixing, double[][] pbar, double[] c) {
        this.mixing = mixing;
        this.pbar = pbar;
        this.c = c;
    }

    public static EpochMap of(
            Map<String, List<ClientData>> clients,
            double[][] a,
            int steps,
            double gamma,
            int localSteps) {
        int m = clients.size();
        int d = 2;
        double[][] aPow = Linalg.power(a, steps);
        double[][] mixing = new double[m * d][m * d];
        double[][] pbar = new double[m * d][m * d];
        double[] c = new double[m * d];
        int i = 0;
        for (List<ClientData> group : clients.values()) {
            for (int j = 0; j < m; j++) {
                for (int k = 0; k < d; k++) {
                    mixing[i * d + k][j * d + k] = aPow[i][j];
                }
            }
            for (ClientData cl : group) {
                double[][] h = hessian(cl);
                double[][] step = new double[d][d];
                for (int r = 0; r < d; r++) {
                    for (int s = 0; s < d; s++) {
                        step[r][s] = (r == s ? 1 : 0) - gamma * h[r][s];
                    }
                }
                double[][] p = Linalg.power(step, localSteps);
                double[] wt = Linalg.leastSquares(cl.x(), cl.y());
                double[] pw = Linalg.multiply(p, wt);
                for (int r = 0; r < d; r++) {
                    for (int s = 0; s < d; s++) {
                        pbar[i * d + r][i * d + s] += p[r][s] / group.size();
                    }
                    c[i * d + r] += (wt[r] - pw[r]) / group.size();
                }
            }
            i++;
        }
        return new EpochMap(mixing, pbar, c);
    }

    public double[] apply(double[] w) {
        double[] inner = Linalg.multiply(pbar, w);
        for (int k = 0; k < inner.length; k++) {
            inner[k] += c[k];
        }
        return Linalg.multiply(mixing, inner);
    }

    /** W_inf = (I - M Pbar)^{-1} M c. */
    public double[] fixedPoint() {
        double[][] mp = Linalg.multiply(mixing, pbar);
        for (int r = 0; r < mp.length; r++) {
            for (int s = 0; s < mp.length; s++) {
                mp[r][s] = (r == s ? 1 : 0) - mp[r][s];
            }
        }
        return Linalg.solve(mp, Linalg.multiply(mixing, c));
    }

    private static double[][] hessian(ClientData cl) {
        double[][] h = new double[2][2];
        for (double[] row : cl.x()) {
            for (int r = 0; r < 2; r++) {
                for (int s = 0; s < 2; s++) {
                    h[r][s] += row[r] * row[s] / cl.y().length;
                }
            }
        }
        return h;
    }
}
