package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalTrainer;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.TopicAdmin;
import io.dflink.records.Edge;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;
import io.dflink.settings.Require;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.TopologyPublisher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What the system benchmarks (ingest, latency, scale, fan-in) share: client properties for the
 * run's broker, the job's topics with the round-0 graph on them, the servers' ids, and a fleet of
 * idle devices.
 */
final class BenchSetup {

    private BenchSetup() {}

    static Properties kafka(String bootstrapServers) {
        Properties common = new Properties();
        common.put("bootstrap.servers", bootstrapServers);
        return common;
    }

    /**
     * The job's configuration for a benchmark: its broker, topics and name, parallelism, vector
     * encoding and dimension, no checkpoints (nothing here fails), plus {@code options}.
     */
    static JobConfig job(
            String bootstrapServers,
            String prefix,
            String name,
            int parallelism,
            VectorEncoding encoding,
            int dim,
            String... options) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                bootstrapServers,
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                name,
                                "--parallelism",
                                String.valueOf(parallelism),
                                "--vector-encoding",
                                encoding.name(),
                                "--dim",
                                String.valueOf(dim),
                                "--checkpoint-interval-ms",
                                "0"));
        args.addAll(List.of(options));
        return JobOptions.parse(args.toArray(String[]::new)).toConfig();
    }

    /**
     * The checks every fleet benchmark's settings share: at least one server, one device per
     * server, d >= 1, parallelism >= 1 (each named by its option).
     */
    static void checkFleet(int devices, int servers, int dim, int parallelism) {
        Require.atLeast("servers", servers, 1);
        Require.that(
                devices >= servers, "devices", devices, "must be >= --servers (" + servers + ")");
        Require.atLeast("dim", dim, 1);
        Require.atLeast("parallelism", parallelism, 1);
    }

    /** s0, s1, ... */
    static List<String> serverIds(int servers) {
        List<String> ids = new ArrayList<>(servers);
        for (int i = 0; i < servers; i++) {
            ids.add("s" + i);
        }
        return ids;
    }

    /** Creates the topics under {@code prefix} and publishes the round-0 graph on them. */
    static void topicsWithGraph(
            Properties common, String prefix, List<String> servers, List<Edge> edges) {
        TopicAdmin.createMissing(common, prefix, (short) 1);
        TopologyPublisher.publish(common, prefix, TopologyEvent.graph(0, servers, edges));
    }

    /** {@code perServer} idle devices for each server, on one SDK runtime. */
    static Fleet idleFleet(
            Properties common,
            String prefix,
            List<String> servers,
            int perServer,
            Fleet.Publishing publishing) {
        return Fleet.start(common, prefix, idleDevices(servers, perServer), publishing);
    }

    /** Devices that answer each round's model at once, unchanged (no local work). */
    static Map<String, List<FederatedClient>> idleDevices(List<String> servers, int perServer) {
        LocalTrainer idle =
                new LocalTrainer() {
                    @Override
                    public void step(double[] w) {}

                    @Override
                    public int sampleCount() {
                        return 1;
                    }
                };
        Map<String, List<FederatedClient>> devices = new LinkedHashMap<>();
        for (String s : servers) {
            List<FederatedClient> own = new ArrayList<>(perServer);
            for (int c = 0; c < perServer; c++) {
                own.add(new FederatedClient(String.format("%s-d%05d", s, c), s, idle, 1));
            }
            devices.put(s, own);
        }
        return devices;
    }
}
