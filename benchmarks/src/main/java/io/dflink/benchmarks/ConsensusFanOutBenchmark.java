package io.dflink.benchmarks;

import io.dflink.records.ConsensusMessage;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.VectorEncoding;

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
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A server's consensus step on the wire: its iterate to each of {@code degree} neighbours, encoded
 * message by message ({@link ConsensusMessageCodec#encode}) or with the job's {@link
 * ConsensusMessageCodec.Encoder}, which writes the shared vector once per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConsensusFanOutBenchmark {

    @Param({"1000", "10000", "100000"})
    public int d;

    @Param({"2", "4"})
    public int degree;

    @Param({"F64", "F32"})
    public VectorEncoding encoding;

    private ConsensusMessage[][] steps;
    private ConsensusMessageCodec.Encoder encoder;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        steps = new ConsensusMessage[2][degree];
        for (int s = 0; s < steps.length; s++) {
            double[] iterate = new double[d];
            for (int i = 0; i < d; i++) {
                iterate[i] = rnd.nextGaussian();
            }
            for (int j = 0; j < degree; j++) {
                steps[s][j] = new ConsensusMessage("s0", "s" + (j + 1), 9, s, "dfl-model", iterate);
            }
        }
        encoder = new ConsensusMessageCodec.Encoder(encoding);
    }

    /** Alternates between two steps' iterates, so the encoder's cache never carries over. */
    private ConsensusMessage[] step() {
        next ^= 1;
        return steps[next];
    }

    @Benchmark
    public void eachMessage(Blackhole bh) {
        for (ConsensusMessage m : step()) {
            bh.consume(ConsensusMessageCodec.encode(m, encoding));
        }
    }

    @Benchmark
    public void vectorOncePerStep(Blackhole bh) {
        for (ConsensusMessage m : step()) {
            bh.consume(encoder.encode(m));
        }
    }
}
