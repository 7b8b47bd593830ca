package io.dflink.tools.bench;

import io.dflink.jobs.JobConfig;
import io.dflink.kafka.Topics;
import io.dflink.records.ClientUpdate;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.report.RunObserver;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Ingest: the job consuming a backlog of {@code client-updates} and aggregating it per server,
 * against a bare {@link KafkaConsumer} reading the same records from the same broker in the same
 * run. The backlog is one round's {@code model} updates of d values for {@code servers} servers,
 * produced before either reads; the job runs one round with no consensus steps (a graph without
 * links), so the round closes when a server has decoded, validated and summed all its clients'
 * updates. Its rate is records / (last server's round-1 model − job submission), a lower bound that
 * includes the job's start; the rate from the round-0 models (the servers running) is given too.
 */
public final class IngestBenchmark {

    /** One configuration of the sweep. */
    public record Settings(
            List<Integer> dims,
            List<VectorEncoding> encodings,
            long backlogBytes,
            int maxRecords,
            int servers,
            int parallelism) {
        public Settings {
            dims.forEach(d -> Require.atLeast("dims", d, 1));
            Require.atLeast("backlog-mb", backlogBytes, 1);
            Require.atLeast("max-records", maxRecords, 1);
            Require.atLeast("servers", servers, 1);
            Require.atLeast("parallelism", parallelism, 1);
        }
    }

    /** One (d, encoding) measurement. */
    public record Result(
            int dim,
            VectorEncoding encoding,
            int records,
            long bytes,
            double bareSeconds,
            double jobSeconds,
            double jobSecondsFromRunning) {

        public double bareRecordsPerSecond() {
            return records / bareSeconds;
        }

        public double jobRecordsPerSecond() {
            return records / jobSeconds;
        }

        public double ratio() {
            return bareSeconds / jobSeconds;
        }
    }

    private IngestBenchmark() {}

    public static List<Result> run(Settings s, PrintStream out) throws Exception {
        List<Result> results = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (int d : s.dims()) {
                for (VectorEncoding e : s.encodings()) {
                    Result r = one(kafka.bootstrapServers(), s, d, e);
                    out.printf(
                            "d %7d  %-5s  %6d records %8.1f MB  bare %9.0f rec/s %7.1f MB/s  job"
                                    + " %9.0f rec/s %7.1f MB/s  job/bare %.2f (from running:"
                                    + " %.2f)%n",
                            d,
                            e,
                            r.records(),
                            r.bytes() / 1e6,
                            r.bareRecordsPerSecond(),
                            r.bytes() / 1e6 / r.bareSeconds(),
                            r.jobRecordsPerSecond(),
                            r.bytes() / 1e6 / r.jobSeconds(),
                            r.ratio(),
                            r.bareSeconds() / r.jobSecondsFromRunning());
                    results.add(r);
                }
            }
        }
        return results;
    }

    private static Result one(String bootstrap, Settings s, int d, VectorEncoding e)
            throws Exception {
        String prefix = "ingest-" + d + "-" + e.name().toLowerCase() + ".";
        Properties common = BenchSetup.kafka(bootstrap);
        List<String> servers = BenchSetup.serverIds(s.servers());
        BenchSetup.topicsWithGraph(common, prefix, servers, List.of());
        byte[] sample = encoded(0, 0, d, e, new SplittableRandom(1));
        int perServer =
                (int)
                        Math.max(
                                1,
                                Math.min(
                                        s.maxRecords() / s.servers(),
                                        s.backlogBytes() / sample.length / s.servers()));
        long bytes = produce(common, prefix, servers, perServer, d, e);
        int records = perServer * s.servers();

        double bare = Backlog.bareConsume(common, prefix + Topics.CLIENT_UPDATES.name(), records);

        JobConfig config =
                BenchSetup.job(
                        bootstrap,
                        prefix,
                        "ingest-" + prefix,
                        s.parallelism(),
                        e,
                        d,
                        "--group-id",
                        "ingest-" + prefix,
                        "--consensus-steps",
                        "0",
                        "--clients-per-server",
                        String.valueOf(perServer),
                        "--rounds",
                        "1",
                        "--disconnected-graphs",
                        "ALLOW",
                        "--max-buffered",
                        String.valueOf(records + 100),
                        "--max-vector-length",
                        String.valueOf(Math.max(d, 1_000_000)));
        try (RunObserver observer = new RunObserver(common, prefix)) {
            long submitted = System.nanoTime();
            try (EmbeddedJob job = EmbeddedJob.start(config)) {
                long running = observer.awaitRound(servers, 0, Duration.ofMinutes(10));
                long done = observer.awaitRound(servers, 1, Duration.ofMinutes(10));
                return new Result(
                        d,
                        e,
                        records,
                        bytes,
                        bare,
                        (done - submitted) / 1e9,
                        (done - running) / 1e9);
            }
        }
    }

    private static byte[] encoded(
            int server, int client, int d, VectorEncoding e, SplittableRandom r) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = r.nextGaussian();
        }
        return ClientUpdateCodec.encode(
                ClientUpdate.model("c" + client, "s" + server, 0, 10, v), e);
    }

    /** The backlog: perServer updates for every server, keyed by server. Returns value bytes. */
    private static long produce(
            Properties common,
            String prefix,
            List<String> servers,
            int perServer,
            int d,
            VectorEncoding e) {
        SplittableRandom rnd = new SplittableRandom(7);
        String topic = prefix + Topics.CLIENT_UPDATES.name();
        return Backlog.produce(
                common,
                sink -> {
                    for (int c = 0; c < perServer; c++) {
                        for (int s = 0; s < servers.size(); s++) {
                            sink.accept(
                                    new ProducerRecord<>(
                                            topic,
                                            servers.get(s).getBytes(StandardCharsets.UTF_8),
                                            encoded(s, c, d, e, rnd)));
                        }
                    }
                });
    }
}
