package io.dflink.tools.bench;

import io.dflink.clients.AsyncDevice;
import io.dflink.clients.DevicePace;
import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalDataset;
import io.dflink.clients.LocalTrainer;
import io.dflink.clients.Optimizer;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.async.AsyncParams;
import io.dflink.operators.core.async.StalenessWeight;
import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.RoundClosing;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.fleet.GraphShapes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Lock-step against asynchronous client phases on the digits set, in simulated device time: servers
 * on a ring, label-skewed softmax-regression devices whose step times are log-normally spread
 * (seeded). Compared: synchronous rounds (a round waits for its slowest device), synchronous rounds
 * that close at a timeout with a quorum, FedBuff with buffers of K and FedAsync (K = 1). The figure
 * of merit is the servers' mean held-out accuracy against device time and against bytes sent, and
 * the time and bytes to a target accuracy. Pure computation on the production state machines
 * ({@link TimedFederation}).
 */
public final class AsyncBenchmark {

    /** The sweep. */
    public record Settings(
            int servers,
            int devicesPerServer,
            int localSteps,
            int consensusSteps,
            int batchSize,
            double learningRate,
            double millisPerStep,
            double speedSpread,
            double horizonSeconds,
            double sampleSeconds,
            double target,
            List<Integer> bufferSizes,
            int seeds,
            long seed) {
        public Settings {
            Require.atLeast("servers", servers, 2);
            Require.atLeast("devices", devicesPerServer, 2);
            Require.atLeast("local-steps", localSteps, 1);
            Require.atLeast("consensus-steps", consensusSteps, 1);
            Require.atLeast("batch-size", batchSize, 1);
            Require.positive("learning-rate", learningRate);
            Require.positive("millis-per-step", millisPerStep);
            Require.nonNegative("speed-spread", speedSpread);
            Require.positive("horizon-seconds", horizonSeconds);
            Require.positive("sample-seconds", sampleSeconds);
            Require.that(target > 0 && target < 1, "target", target, "must be in (0, 1)");
            Require.atLeast("seeds", seeds, 1);
            for (int k : bufferSizes) {
                Require.atLeast("buffer-sizes", k, 2);
            }
        }

        /** The median device's time for one training, in ms. */
        public double medianTrainingMillis() {
            return localSteps * millisPerStep;
        }
    }

    /** One client phase under comparison. */
    public record Variant(String name, boolean async, ServerParams params) {}

    /** The variants of a sweep, synchronous first. */
    public static List<Variant> variants(Settings s) {
        int dim = Digits.FEATURES * Digits.CLASSES;
        int n = s.devicesPerServer();
        ServerParams sync =
                ServerParams.builder(dim)
                        .consensusSteps(s.consensusSteps())
                        .closing(RoundClosing.count(n))
                        .consensusTimeoutMillis(0)
                        .encoding(VectorEncoding.F64)
                        .build();
        long timeout = Math.round(2 * s.medianTrainingMillis());
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("sync", false, sync));
        out.add(
                new Variant(
                        "sync, quorum " + (n + 1) / 2 + " at " + timeout + " ms",
                        false,
                        sync.toBuilder()
                                .closing(
                                        new RoundClosing(
                                                RoundClosing.Membership.COUNT,
                                                n,
                                                timeout,
                                                (n + 1) / 2))
                                .build()));
        StalenessWeight poly = new StalenessWeight(StalenessWeight.Kind.POLYNOMIAL, 0.5, 0);
        for (int k : s.bufferSizes()) {
            AsyncParams a = new AsyncParams(k, Math.max(1, n / k), 1.0, poly, 50);
            out.add(
                    new Variant(
                            "FedBuff K=" + k,
                            true,
                            sync.toBuilder().algorithm(new Algorithm.AsyncDfl(a)).build()));
        }
        AsyncParams fedAsync = new AsyncParams(1, n, 0.5, poly, 50);
        out.add(
                new Variant(
                        "FedAsync a=0.5",
                        true,
                        sync.toBuilder().algorithm(new Algorithm.AsyncDfl(fedAsync)).build()));
        return out;
    }

    /** A run's samples: device time (s), bytes sent, mean held-out accuracy. */
    public record Curve(double[] seconds, double[] bytes, double[] accuracy) {

        /** The first sample at or above {@code target}, or -1. */
        public int reaching(double target) {
            for (int i = 0; i < accuracy.length; i++) {
                if (accuracy[i] >= target) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** One variant over all seeds. */
    public record Row(Variant variant, List<Curve> curves, long rejected) {

        /** Mean time to the target over the seeds that reached it, NaN if none did. */
        public double secondsTo(double target) {
            return meanAt(target, true);
        }

        public double bytesTo(double target) {
            return meanAt(target, false);
        }

        /** How many seeds reached the target. */
        public int reached(double target) {
            int n = 0;
            for (Curve c : curves) {
                n += c.reaching(target) >= 0 ? 1 : 0;
            }
            return n;
        }

        public double finalAccuracy() {
            double sum = 0;
            for (Curve c : curves) {
                sum += c.accuracy[c.accuracy.length - 1];
            }
            return sum / curves.size();
        }

        private double meanAt(double target, boolean time) {
            double sum = 0;
            int n = 0;
            for (Curve c : curves) {
                int i = c.reaching(target);
                if (i >= 0) {
                    sum += time ? c.seconds[i] : c.bytes[i];
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }
    }

    /** The whole benchmark's result. */
    public record Result(Settings settings, List<Row> rows, double seconds) {}

    private AsyncBenchmark() {}

    public static Result run(Settings s, PrintStream progress) {
        long start = System.nanoTime();
        List<Variant> variants = variants(s);
        List<Row> rows = new ArrayList<>();
        int done = 0;
        for (Variant v : variants) {
            List<Curve> curves = new ArrayList<>();
            long rejected = 0;
            for (int k = 0; k < s.seeds(); k++) {
                TimedFederation f = federation(s, v, s.seed() + k);
                Curve c = runOnce(s, f, s.seed() + k);
                curves.add(c);
                rejected += f.rejected().size();
                progress.printf(
                        "[%d/%d] %-28s seed %d: accuracy %.4f at %.0f s, %.1f MB%n",
                        ++done,
                        variants.size() * s.seeds(),
                        v.name(),
                        s.seed() + k,
                        c.accuracy[c.accuracy.length - 1],
                        c.seconds[c.seconds.length - 1],
                        c.bytes[c.bytes.length - 1] / 1e6);
            }
            rows.add(new Row(v, curves, rejected));
        }
        return new Result(s, rows, (System.nanoTime() - start) / 1e9);
    }

    private static Curve runOnce(Settings s, TimedFederation f, long seed) {
        Digits.Split split = Digits.split(Digits.load(), 0.2, seed);
        List<double[]> samples = new ArrayList<>();
        f.run(
                Math.round(s.horizonSeconds() * 1000),
                Math.round(s.sampleSeconds() * 1000),
                t -> {
                    double acc = 0;
                    for (String server : f.servers()) {
                        acc +=
                                SoftmaxRegressionTrainer.accuracy(
                                        f.state(server).model, split.test(), Digits.CLASSES);
                    }
                    samples.add(
                            new double[] {t / 1000.0, f.wire().bytes(), acc / f.servers().size()});
                });
        int n = samples.size();
        double[] t = new double[n];
        double[] b = new double[n];
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = samples.get(i)[0];
            b[i] = samples.get(i)[1];
            a[i] = samples.get(i)[2];
        }
        return new Curve(t, b, a);
    }

    /** The servers, and the devices with their seeded paces (the same for every variant). */
    static TimedFederation federation(Settings s, Variant v, long seed) {
        Digits.Split split = Digits.split(Digits.load(), 0.2, seed);
        int total = s.servers() * s.devicesPerServer();
        List<LocalDataset> shards =
                Digits.shards(split.train(), total, Digits.Sharding.LABEL_SKEW, seed);
        List<DevicePace> paces =
                DevicePace.logNormal(total, s.millisPerStep(), s.speedSpread(), seed);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < s.servers(); i++) {
            ids.add("s" + i);
        }
        TopologyEvent ring =
                TopologyEvent.graph(0, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
        TimedFederation f = new TimedFederation(v.params(), ring, 5);
        int index = 0;
        for (String server : ids) {
            for (int c = 0; c < s.devicesPerServer(); c++, index++) {
                String id = server + "-c" + c;
                LocalTrainer trainer =
                        new SoftmaxRegressionTrainer(
                                shards.get(index),
                                Digits.CLASSES,
                                s.batchSize(),
                                Optimizer.sgd(s.learningRate()),
                                seed * 1000 + index);
                if (v.async()) {
                    f.add(new AsyncDevice(id, server, trainer, s.localSteps(), paces.get(index)));
                } else {
                    f.add(
                            new FederatedClient(id, server, trainer, s.localSteps()),
                            paces.get(index));
                }
            }
        }
        return f;
    }
}
