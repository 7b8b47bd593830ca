package io.dflink.tools.cli;

import io.dflink.serde.VectorEncoding;
import io.dflink.tools.bench.IngestBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dflink bench ingest}: the job's ingest rate against a bare consumer's, same broker. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description =
                "Produces a backlog of client updates, reads it with a bare KafkaConsumer, then lets"
                        + " the job (in-process broker, MiniCluster) decode, validate and aggregate"
                        + " it per server; prints records/s and MB/s of both. Writes"
                        + " ingest-report.json.")
public final class IngestBenchCommand implements Callable<Integer> {

    @Option(
            names = "--dims",
            split = ",",
            description = "Vector sizes d (default: ${DEFAULT-VALUE}).")
    List<Integer> dims = List.of(1_000, 100_000);

    @Option(
            names = "--encodings",
            split = ",",
            description = "Vector encodings (default: ${DEFAULT-VALUE}).")
    List<VectorEncoding> encodings =
            List.of(VectorEncoding.ARRAY, VectorEncoding.F64, VectorEncoding.F32);

    @Option(
            names = "--backlog-mb",
            description = "Backlog size per configuration (default: ${DEFAULT-VALUE}).")
    long backlogMb = 200;

    @Option(
            names = "--max-records",
            description =
                    "At most this many records per configuration (default: ${DEFAULT-VALUE}).")
    int maxRecords = 40_000;

    @Option(names = "--servers", description = "Servers (default: ${DEFAULT-VALUE}).")
    int servers = 4;

    @Option(
            names = "--parallelism",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        IngestBenchmark.Settings s =
                new IngestBenchmark.Settings(
                        dims, encodings, backlogMb << 20, maxRecords, servers, parallelism);
        List<IngestBenchmark.Result> results = IngestBenchmark.run(s, System.out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("settings", s);
        report.put("results", results);
        output.writeJson("ingest-report.json", report);
        return 0;
    }
}
