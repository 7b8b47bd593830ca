package io.dflink.benchmarks;

import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.Bounded;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.robust.RobustAggregator;

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
 * What one server's round costs under each aggregation rule: 16 client vectors of d values, as a
 * round closes (docs/benchmarks.md, "Robust aggregation"). The plain weighted mean is the baseline;
 * the default bounded influence (weights and distances against the round's median) runs before
 * every rule, and is measured on its own. Multi-Krum's pairwise distances are 16·15/2 distance
 * computations; median and trimmed mean sort a column of 16 per coordinate; centred clipping runs 3
 * iterations over all vectors.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class AggregatorBenchmark {

    private static final int CLIENTS = 16;

    @Param({"1000", "10000", "100000"})
    public int d;

    private double[][] vectors;
    private double[] weights;
    private double[] centre;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        vectors = new double[CLIENTS][d];
        weights = new double[CLIENTS];
        centre = new double[d];
        for (int i = 0; i < CLIENTS; i++) {
            weights[i] = 10 + rnd.nextInt(20);
            for (int j = 0; j < d; j++) {
                vectors[i][j] = rnd.nextDouble() - 0.5;
            }
        }
    }

    @Benchmark
    public double[] mean() {
        return aggregate(new Aggregation.Mean());
    }

    @Benchmark
    public double[] median() {
        return aggregate(new Aggregation.Median());
    }

    @Benchmark
    public double[] trimmedMean() {
        return aggregate(new Aggregation.TrimmedMean(0.2));
    }

    @Benchmark
    public double[] multiKrum() {
        return aggregate(new Aggregation.MultiKrum(3, 0));
    }

    @Benchmark
    public double[] centeredClipping() {
        return aggregate(new Aggregation.CenteredClipping(1.0, 3));
    }

    @Benchmark
    public Bounded defaultBound() {
        return Bounded.apply(InfluenceBound.defaults(), weights, vectors, centre);
    }

    private double[] aggregate(Aggregation rule) {
        return RobustAggregator.aggregate(rule, weights, vectors, centre).vector();
    }
}
