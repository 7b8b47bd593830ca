package io.dflink.operators.core.fda;

/**
 * One client's monitoring state for one local step, as the server keeps it until every client of
 * the step has reported: ||Delta_i||^2, and the projection or the sketch the variant needs.
 */
public class FdaReport {
    public double sqNorm;
    public double projection;
    public double[] sketch = new double[0];

    public FdaReport() {}

    public FdaReport(double sqNorm, double projection, double[] sketch) {
        this.sqNorm = sqNorm;
        this.projection = projection;
        this.sketch = sketch;
    }
}
