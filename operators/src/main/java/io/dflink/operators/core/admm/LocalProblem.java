package io.dflink.operators.core.admm;

/**
 * An agent's local objective f_i(x) = (1/m) sum_h f_h(x) as LT-ADMM sees it: the gradient of one
 * sample's loss. Reference runs and tests implement it; in the job the samples live on devices.
 */
public interface LocalProblem {

    /** n, the model dimension. */
    int dim();

    /** m, the number of samples. */
    int samples();

    /** out = grad f_h(x). */
    void gradient(int h, double[] x, double[] out);

    /** (1/m) sum_h grad f_h(x), the full local gradient. */
    default double[] fullGradient(double[] x) {
        double[] g = new double[dim()];
        double[] gh = new double[dim()];
        for (int h = 0; h < samples(); h++) {
            gradient(h, x, gh);
            for (int k = 0; k < g.length; k++) {
                g[k] += gh[k];
            }
        }
        for (int k = 0; k < g.length; k++) {
            g[k] /= samples();
        }
        return g;
    }
}
