package io.dflink.benchmarks;

import io.dflink.records.ClientUpdate;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.InvalidEventException;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * JSON arrays against binary vectors: encode and decode one {@code model} client update of d values
 * with each {@link VectorEncoding}, as the job and the SDK do. The bytes on the wire per event are
 * printed once per trial ("bytes d=… encoding=…").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodingBenchmark {

    @Param({"100", "1000", "10000", "100000"})
    public int d;

    @Param({"ARRAY", "F64", "F32"})
    public VectorEncoding encoding;

    private ClientUpdate update;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = rnd.nextGaussian(); // full-precision doubles, as a trained model has
        }
        update = ClientUpdate.model("device-00042", "s7", 12, 50, v);
        encoded = ClientUpdateCodec.encode(update, encoding);
        System.out.printf(
                "bytes d=%d encoding=%s %d (%.2f per value)%n",
                d, encoding, encoded.length, encoded.length / (double) d);
    }

    @Benchmark
    public byte[] encode() {
        return ClientUpdateCodec.encode(update, encoding);
    }

    @Benchmark
    public ClientUpdate decode() throws InvalidEventException {
        return ClientUpdateCodec.decode(encoded, Integer.MAX_VALUE);
    }
}
