package io.dflink.tools.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.kafka.KafkaProperties;
import io.dflink.operators.functions.MetricsDetail;
import io.dflink.records.ConsensusMessage;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.metrics.LocalMetrics;
import io.dflink.tools.report.RunObserver;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Consensus step latency: the job's servers on a ring exchange d-value iterates for T_S steps per
 * round; each server measures a step from sending its iterate to holding all its neighbours'
 * ({@code stepMillis} in {@code metrics}). The floor, measured on the same broker in the same run,
 * before and after the job: one bare hop, a record of the same size and encoding sent by a {@link
 * KafkaProducer} with the job's latency settings and received by a polling {@link KafkaConsumer}
 * (the target's yardstick); and one bare step, the messages of a whole consensus step (one per
 * directed ring link, 2 x servers) sent at once and received by one consumer, which is the
 * transport's floor for the volume a step moves.
 */
public final class LatencyBenchmark {

    /** The run's parameters. */
    public record Settings(
            int servers,
            int dim,
            int consensusSteps,
            int rounds,
            VectorEncoding encoding,
            int parallelism,
            int pings,
            MetricsDetail serverMetrics,
            LocalMetrics metrics) {
        /** With the job's default metrics and no reporter. */
        public Settings(
                int servers,
                int dim,
                int consensusSteps,
                int rounds,
                VectorEncoding encoding,
                int parallelism,
                int pings) {
            this(
                    servers,
                    dim,
                    consensusSteps,
                    rounds,
                    encoding,
                    parallelism,
                    pings,
                    MetricsDetail.EDGES,
                    LocalMetrics.NONE);
        }

        public Settings {
            Require.atLeast("servers", servers, 2);
            Require.atLeast("dim", dim, 1);
            Require.atLeast("consensus-steps", consensusSteps, 1);
            Require.atLeast("rounds", rounds, 1);
            Require.atLeast("parallelism", parallelism, 1);
            Require.atLeast("pings", pings, 1);
        }
    }

    /** Percentiles in milliseconds. */
    public record Percentiles(double p50, double p95, int samples) {
        static Percentiles of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Percentiles(at(v, 0.5), at(v, 0.95), v.length);
        }

        private static double at(double[] sorted, double q) {
            return sorted.length == 0
                    ? Double.NaN
                    : sorted[
                            (int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
        }
    }

    /** What the command reports. */
    public record Result(
            Settings settings,
            int messageBytes,
            Percentiles bareBefore,
            Percentiles step,
            Percentiles bareAfter,
            Percentiles bareStep,
            double roundsPerSecond) {

        /** Step p50 over the bare hop's p50 (both runs pooled by their mean). */
        public double ratio() {
            return step.p50() / ((bareBefore.p50() + bareAfter.p50()) / 2);
        }

        /** Step p50 over the bare step's p50: what the job adds to moving a step's messages. */
        public double ratioToBareStep() {
            return step.p50() / bareStep.p50();
        }
    }

    private LatencyBenchmark() {}

    public static Result run(Settings s, PrintStream out) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Properties common = BenchSetup.kafka(kafka.bootstrapServers());
            byte[] message = message(s);
            Percentiles before = bareHops(common, "bare-before", message, s.pings());
            out.printf(
                    "bare hop (%d B record): p50 %.2f ms, p95 %.2f ms%n",
                    message.length, before.p50(), before.p95());
            String prefix = "latency.";
            List<String> ids = BenchSetup.serverIds(s.servers());
            BenchSetup.topicsWithGraph(
                    common, prefix, ids, GraphShapes.edges(GraphShapes.Shape.RING, ids, 0, 0));
            JobConfig config =
                    BenchSetup.job(
                            kafka.bootstrapServers(),
                            prefix,
                            "latency",
                            s.parallelism(),
                            s.encoding(),
                            s.dim(),
                            "--consensus-steps",
                            String.valueOf(s.consensusSteps()),
                            "--clients-per-server",
                            "1",
                            "--rounds",
                            String.valueOf(s.rounds()),
                            "--server-metrics",
                            s.serverMetrics().name());
            Percentiles step;
            double roundsPerSecond;
            try (RunObserver observer = new RunObserver(common, prefix);
                    EmbeddedJob job = EmbeddedJob.start(config, s.metrics());
                    Fleet fleet =
                            BenchSetup.idleFleet(
                                    common, prefix, ids, 1, Fleet.Publishing.json(s.encoding()))) {
                long first = observer.awaitRound(ids, 1, Duration.ofMinutes(10));
                long last = observer.awaitRound(ids, s.rounds(), Duration.ofMinutes(10));
                roundsPerSecond = (s.rounds() - 1) / ((last - first) / 1e9);
                Thread.sleep(500); // the last round's metrics
                // round 0 includes the JIT's warm-up; keep the later rounds' steps
                List<Double> steps = observer.stepMillis();
                int skip = Math.min(steps.size() / s.rounds(), steps.size());
                step = Percentiles.of(steps.subList(skip, steps.size()));
            }
            out.printf(
                    "consensus step (%d servers, ring, d = %d, %s): p50 %.2f ms, p95 %.2f ms over"
                            + " %d steps; %.2f rounds/s%n",
                    s.servers(),
                    s.dim(),
                    s.encoding(),
                    step.p50(),
                    step.p95(),
                    step.samples(),
                    roundsPerSecond);
            Percentiles after = bareHops(common, "bare-after", message, s.pings());
            out.printf("bare hop again: p50 %.2f ms, p95 %.2f ms%n", after.p50(), after.p95());
            int perStep = 2 * s.servers();
            Percentiles bareStep = bareSteps(common, message, perStep, s.pings());
            out.printf(
                    "bare step (%d records at once): p50 %.2f ms, p95 %.2f ms%n",
                    perStep, bareStep.p50(), bareStep.p95());
            Result r =
                    new Result(s, message.length, before, step, after, bareStep, roundsPerSecond);
            out.printf("step p50 / bare hop p50 = %.2f (target <= 2)%n", r.ratio());
            out.printf("step p50 / bare step p50 = %.2f%n", r.ratioToBareStep());
            return r;
        }
    }

    /** A consensus message of the benchmark's size and encoding. */
    private static byte[] message(Settings s) {
        double[] v = new double[s.dim()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sin(i);
        }
        return ConsensusMessageCodec.encode(
                new ConsensusMessage("s0", "s1", 3, 7, ConsensusMessage.KIND_DFL_MODEL, v),
                s.encoding());
    }

    /** One hop at a time: send, wait until the consumer has it, repeat. */
    private static Percentiles bareHops(Properties common, String topic, byte[] message, int pings)
            throws Exception {
        return bareRoundTrips(common, topic, message, 1, pings);
    }

    /** A step's worth at a time: send {@code perStep} records, wait until all have arrived. */
    private static Percentiles bareSteps(Properties common, byte[] message, int perStep, int pings)
            throws Exception {
        return bareRoundTrips(common, "bare-step", message, perStep, Math.max(20, pings / 5));
    }

    /**
     * {@code count} rounds of: send {@code batch} records without waiting, then poll until the
     * consumer holds all of them; the time from the first send to the last receipt.
     */
    private static Percentiles bareRoundTrips(
            Properties common, String topic, byte[] message, int batch, int count)
            throws Exception {
        try (Admin admin = Admin.create(common)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties pp = KafkaProperties.byteProducer(common);
        Properties cp = KafkaProperties.byteConsumer(common, "bare-" + topic);
        List<Double> trips = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToEnd(List.of(tp));
            consumer.position(tp);
            for (int i = 0; i < count + 20; i++) {
                long sent = System.nanoTime();
                for (int m = 0; m < batch; m++) {
                    producer.send(new ProducerRecord<>(topic, message));
                }
                int got = 0;
                while (got < batch) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        got += r.value().length == message.length ? 1 : 0;
                    }
                }
                if (i >= 20) { // the first round trips warm up connections and the JIT
                    trips.add((System.nanoTime() - sent) / 1e6);
                }
            }
        }
        return Percentiles.of(trips);
    }
}
