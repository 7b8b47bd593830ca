package io.dflink.benchmarks;

import io.dflink.operators.core.fda.AmsSketch;
import io.dflink.operators.core.fda.DriftMonitor;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.fda.FdaReport;
import io.dflink.operators.core.fda.FdaVariant;
import io.dflink.operators.core.math.Vec;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-event kernels of the servers and devices, plain Java against ND4J, next to a memory-copy
 * baseline measured in the same run: {@code System.arraycopy} of d doubles (reads 8d bytes, writes
 * 8d), and a copy with the footprint of the multi-input kernels (three vectors copied into three
 * others: six vectors of d, the working set of a 5-input sum and its output), because at d = 10^5
 * the plain copy's two vectors fit in L2 and the six do not. Bytes touched per call, for bandwidth
 * = bytes / time: copy 16d, six-vector copy 48d; axpy double 24d, float 12d; aggregation of 5
 * client vectors 8d(5+1); a gossip mixing step with 4 neighbours 8d(4+2); FDA's Linear statistics
 * 24d (local, base, xi read once); the sketch update reads 8d and scatters into depth x width
 * counters.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "-Dorg.bytedeco.javacpp.cachedir=target/javacpp-cache"})
public class KernelBenchmark {

    @Param({"10", "1000", "100000", "1000000"})
    public int d;

    private double[] x;
    private double[] y;
    private float[] xf;
    private float[] yf;
    private double[][] clients;
    private double[][] neighbours;
    private double[] weights;
    private double[] clientWeights;
    private double[] mixWeights;
    private double[][] mixInputs;
    private double[] base;
    private double[][] copySources;
    private double[][] copyTargets;
    private double[] xi;
    private INDArray xa;
    private INDArray ya;
    private DriftMonitor linear;
    private AmsSketch sketch;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        x = random(rnd, d);
        y = random(rnd, d);
        xf = new float[d];
        yf = new float[d];
        for (int i = 0; i < d; i++) {
            xf[i] = (float) x[i];
            yf[i] = (float) y[i];
        }
        clients = new double[5][];
        for (int k = 0; k < clients.length; k++) {
            clients[k] = random(rnd, d);
        }
        neighbours = new double[4][];
        for (int k = 0; k < neighbours.length; k++) {
            neighbours[k] = random(rnd, d);
        }
        weights = new double[] {0.2, 0.2, 0.2, 0.2};
        clientWeights = new double[] {10, 10, 10, 10, 10};
        mixWeights = new double[] {0.2, 0.2, 0.2, 0.2, 0.2};
        mixInputs = new double[][] {x, neighbours[0], neighbours[1], neighbours[2], neighbours[3]};
        base = random(rnd, d);
        copySources = new double[][] {random(rnd, d), random(rnd, d), random(rnd, d)};
        copyTargets = new double[][] {new double[d], new double[d], new double[d]};
        xi = random(rnd, d);
        Vec.scale(1 / Vec.norm(xi), xi);
        xa = Nd4j.create(x.clone(), new long[] {d}, DataType.DOUBLE);
        ya = Nd4j.create(y.clone(), new long[] {d}, DataType.DOUBLE);
        linear = new DriftMonitor(FdaParams.of(FdaVariant.LINEAR, 1, 10, 1, 1), d);
        sketch = new AmsSketch(1, 5, 250, d);
    }

    private static double[] random(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble() - 0.5;
        }
        return v;
    }

    /** The baseline: the cheapest way to move d doubles through memory. */
    @Benchmark
    public double[] copyBaseline() {
        System.arraycopy(x, 0, y, 0, d);
        return y;
    }

    /**
     * The copy baseline at the multi-input kernels' footprint: six vectors of d (48d bytes), the
     * working set of aggregation and mixing, so that both are measured against the same cache
     * level.
     */
    @Benchmark
    public double[][] copyBaselineSixVectors() {
        for (int k = 0; k < copySources.length; k++) {
            System.arraycopy(copySources[k], 0, copyTargets[k], 0, d);
        }
        return copyTargets;
    }

    @Benchmark
    public double[] axpyDouble() {
        Vec.axpy(1e-9, x, y);
        return y;
    }

    @Benchmark
    public float[] axpyFloat() {
        float a = 1e-9f;
        for (int i = 0; i < d; i++) {
            yf[i] += a * xf[i];
        }
        return yf;
    }

    /** ND4J's BLAS axpy on arrays already off-heap: the kernel alone. */
    @Benchmark
    public INDArray axpyNd4jResident() {
        Nd4j.getBlasWrapper().level1().axpy(d, 1e-9, xa, ya);
        return ya;
    }

    /** ND4J as the servers would use it: state is double[], so in and out of INDArrays per call. */
    @Benchmark
    public double[] axpyNd4jFromArrays() {
        INDArray a = Nd4j.createFromArray(x);
        INDArray b = Nd4j.createFromArray(y);
        Nd4j.getBlasWrapper().level1().axpy(d, 1e-9, a, b);
        return b.toDoubleVector();
    }

    /** E2: the weighted mean of 5 client models, as ClientPhase computes it (blocked). */
    @Benchmark
    public double[] aggregateFiveClients() {
        double[] sum = Vec.weightedSum(clientWeights, clients);
        Vec.scale(1.0 / 50, sum);
        return sum;
    }

    /** The blocked sum into a preallocated output: the kernel without the allocation. */
    @Benchmark
    public double[] aggregateFiveClientsNoAllocation() {
        java.util.Arrays.fill(y, 0);
        for (int from = 0; from < d; from += 1024) {
            int to = Math.min(d, from + 1024);
            for (int k = 0; k < clients.length; k++) {
                double a = clientWeights[k];
                double[] v = clients[k];
                for (int i = from; i < to; i++) {
                    y[i] += a * v[i];
                }
            }
        }
        return y;
    }

    /**
     * The same as 5 axpy passes over a zeroed sum: what ClientPhase did before the kernels were
     * fused.
     */
    @Benchmark
    public double[] aggregateFiveClientsAxpyPasses() {
        double[] sum = Vec.zeros(d);
        for (double[] c : clients) {
            Vec.axpy(10, c, sum);
        }
        Vec.scale(1.0 / 50, sum);
        return sum;
    }

    /** One gossip step with 4 neighbours, as GossipExchange computes it (blocked). */
    @Benchmark
    public double[] mixFourNeighbours() {
        return Vec.weightedSum(mixWeights, mixInputs);
    }

    /**
     * The same as a scaled copy and 4 axpy passes: what GossipExchange did before the kernels were
     * fused.
     */
    @Benchmark
    public double[] mixFourNeighboursAxpyPasses() {
        double[] next = Vec.scaled(0.2, x);
        for (int k = 0; k < neighbours.length; k++) {
            Vec.axpy(weights[k], neighbours[k], next);
        }
        return next;
    }

    /** The same mixing step on ND4J, from and to double[]. */
    @Benchmark
    public double[] mixFourNeighboursNd4j() {
        INDArray next = Nd4j.createFromArray(x).muli(0.2);
        for (int k = 0; k < neighbours.length; k++) {
            next.addi(Nd4j.createFromArray(neighbours[k]).muli(weights[k]));
        }
        return next.toDoubleVector();
    }

    /** Linear FDA's device-side statistics: ||w - w0||^2 and <xi, w - w0>, one four-lane pass. */
    @Benchmark
    public FdaReport fdaLinearState() {
        return linear.state(x, base, xi);
    }

    /**
     * The same statistics as one running sum per statistic, with the drift formed: before the
     * kernels were fused.
     */
    @Benchmark
    public double[] fdaLinearStateOneLane() {
        double[] drift = new double[d];
        double sq = 0;
        for (int k = 0; k < d; k++) {
            drift[k] = x[k] - base[k];
            sq += drift[k] * drift[k];
        }
        double p = 0;
        for (int k = 0; k < d; k++) {
            p += xi[k] * drift[k];
        }
        return new double[] {sq, p};
    }

    /** Sketch FDA's AMS sketch (5 x 250) of a drift vector. */
    @Benchmark
    public double[] amsSketchUpdate() {
        return sketch.sketch(x);
    }
}
