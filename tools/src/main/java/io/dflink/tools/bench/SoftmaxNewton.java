package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;
import io.dflink.clients.SoftmaxProblem;
import io.dflink.clients.SoftmaxRegressionTrainer;

import java.util.List;

/**
 * The centralised optimum of an average of L2-regularised softmax objectives, F(W) = (1/N) sum_i
 * f_i(W), by Newton's method with a backtracking line search: the reference solution of the LT-ADMM
 * benchmark, to machine precision in a dozen iterations (the problem is strongly convex). Each
 * Newton system is solved by conjugate gradients (the Hessian is symmetric positive definite;
 * ND4J's matrix_inverse op failed on it).
 */
public final class SoftmaxNewton {

    /** The optimum and its objective value. */
    public record Optimum(double[] w, double objective, double gradientNorm, int iterations) {}

    private SoftmaxNewton() {}

    /** F(W) = (1/N) sum_i f_i(W). */
    public static double objective(List<SoftmaxProblem> agents, double[] w) {
        double f = 0;
        for (SoftmaxProblem p : agents) {
            f += p.loss(w);
        }
        return f / agents.size();
    }

    public static Optimum solve(List<SoftmaxProblem> agents, int classes, double lambda) {
        int dim = agents.get(0).dim();
        double[] w = new double[dim];
        double[] g = gradient(agents, w);
        int it = 0;
        while (norm(g) > 1e-13 && it < 50) {
            double[] step = conjugateGradient(hessian(agents, w, classes, lambda), g);
            double f = objective(agents, w);
            double t = 1;
            double[] next = new double[dim];
            while (true) {
                for (int k = 0; k < dim; k++) {
                    next[k] = w[k] - t * step[k];
                }
                if (objective(agents, next) <= f - 1e-4 * t * dot(g, step) || t < 1e-8) {
                    break;
                }
                t /= 2;
            }
            w = next.clone();
            g = gradient(agents, w);
            it++;
        }
        return new Optimum(w, objective(agents, w), norm(g), it);
    }

    private static double[] gradient(List<SoftmaxProblem> agents, double[] w) {
        double[] g = new double[w.length];
        for (SoftmaxProblem p : agents) {
            double[] gi = p.fullGradient(w);
            for (int k = 0; k < g.length; k++) {
                g[k] += gi[k] / agents.size();
            }
        }
        return g;
    }

    /** (1/N) sum_i (1/m_i) sum_h (diag(p) - p p^T) (x) x x^T + lambda I, classes-major blocks. */
    private static double[][] hessian(
            List<SoftmaxProblem> agents, double[] w, int classes, double lambda) {
        int dim = w.length;
        int features = dim / classes;
        double[][] h = new double[dim][dim];
        double[] p = new double[classes];
        for (SoftmaxProblem agent : agents) {
            LocalDataset d = agent.data();
            double scale = 1.0 / (agents.size() * d.size());
            for (int s = 0; s < d.size(); s++) {
                double[] x = d.features()[s];
                SoftmaxRegressionTrainer.probabilities(w, x, classes, p);
                for (int a = 0; a < classes; a++) {
                    for (int b = 0; b < classes; b++) {
                        double c = scale * p[a] * ((a == b ? 1 : 0) - p[b]);
                        if (c == 0) {
                            continue;
                        }
                        for (int i = 0; i < features; i++) {
                            double ci = c * x[i];
                            double[] row = h[a * features + i];
                            int col = b * features;
                            for (int j = 0; j < features; j++) {
                                row[col + j] += ci * x[j];
                            }
                        }
                    }
                }
            }
        }
        for (int k = 0; k < dim; k++) {
            h[k][k] += lambda;
        }
        return h;
    }

    /** Solves H s = g for symmetric positive definite H to a relative residual of 1e-15. */
    static double[] conjugateGradient(double[][] h, double[] g) {
        int n = g.length;
        double[] x = new double[n];
        double[] r = g.clone();
        double[] p = r.clone();
        double rr = dot(r, r);
        double stop = 1e-30 * rr;
        for (int it = 0; it < 10 * n && rr > stop; it++) {
            double[] hp = new double[n];
            for (int i = 0; i < n; i++) {
                hp[i] = dot(h[i], p);
            }
            double a = rr / dot(p, hp);
            for (int i = 0; i < n; i++) {
                x[i] += a * p[i];
                r[i] -= a * hp[i];
            }
            double next = dot(r, r);
            for (int i = 0; i < n; i++) {
                p[i] = r[i] + next / rr * p[i];
            }
            rr = next;
        }
        return x;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
