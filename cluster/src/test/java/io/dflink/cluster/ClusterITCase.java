package io.dflink.cluster;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.GraphShapes;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.fleet.TopologyPublisher;
import io.dflink.tools.report.RunObserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * dflink on a real multi-process Flink cluster, started by {@code scripts/local-cluster.sh}: a
 * Kafka broker JVM, a JobManager JVM and two TaskManager JVMs with two slots each; the thin job jar
 * is submitted with Flink's CLI at parallelism 4, so the servers spread over both TaskManagers, and
 * driven by an SDK fleet in this JVM. Every run must end with the models of the same seeded
 * scenario run at parallelism 1 in a MiniCluster: uninterrupted, after a stop with savepoint and a
 * resubmission at parallelism 2, and after a TaskManager is SIGKILLed and replaced.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterITCase {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 3;
    private static final int ROUNDS = 40;
    private static final ScalarRegressionScenario SCENARIO =
            ScalarRegressionScenario.paperDefaults(7, SERVERS, CLIENTS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalCluster cluster;
    private static Map<String, double[]> reference;
    private static final List<String> submitted = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Path root = Path.of(System.getProperty("dflink.root", ".."));
        Path dir = Path.of(System.getProperty("dflink.cluster.dir", "target")).resolve("it");
        long t0 = System.nanoTime();
        cluster = LocalCluster.start(root, dir, 2, 2);
        System.out.printf("cluster: started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        reference = parallelismOneRun();
    }

    /** A failed test must not leave its job holding the slots the next one needs. */
    @AfterEach
    void cancelJobs() throws Exception {
        for (String job : submitted) {
            cancel(job);
        }
        submitted.clear();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldMatchTheParallelismOneRunWithServersSpreadOverBothTaskManagers() throws Exception {
        String prefix = "p4-" + UUID.randomUUID() + ".";
        try (Run run = new Run(prefix)) {
            long t0 = System.nanoTime();
            String job = submit(null, jobArgs(prefix, 4, "--checkpoint-interval-ms", "0"));
            run.awaitRound(1, 120);
            System.out.printf(
                    "cluster: submit to first round %.1f s%n", (System.nanoTime() - t0) / 1e9);
            assertThat(taskManagersOfServers(job)).as("servers on both TaskManagers").hasSize(2);
            run.assertEndsOn(reference);
            assertEveryServerScrapedFromTheTaskManagers();
        }
    }

    /**
     * {@code local-cluster.sh --prometheus}: each Flink JVM serves its metrics on loopback, and the
     * two TaskManagers' scrapes hold every server's round, each on one of them.
     */
    private static void assertEveryServerScrapedFromTheTaskManagers() throws Exception {
        List<String> urls = cluster.prometheusUrls();
        assertThat(urls).as("the JobManager and both TaskManagers serve metrics").hasSize(3);
        Pattern round =
                Pattern.compile(
                        "(?m)^flink_taskmanager_job_task_operator_server_round\\{.*server=\"(s\\d+)\"");
        Set<String> servers = new TreeSet<>();
        for (String url : urls) {
            assertThat(url).startsWith("http://127.0.0.1:");
            HttpResponse<String> r =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(url)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Matcher m = round.matcher(r.body());
            while (m.find()) {
                assertThat(servers.add(m.group(1))).as("%s scraped once", m.group(1)).isTrue();
            }
        }
        assertThat(servers).hasSize(SERVERS);
    }

    @Test
    @Order(2)
    void shouldEndOnTheSameModelsAfterAStopWithSavepointAndARescaleFromFourToTwo()
            throws Exception {
        String prefix = "rescale-" + UUID.randomUUID() + ".";
        try (Run run = new Run(prefix)) {
            String job = submit(null, jobArgs(prefix, 4, "--checkpoint-interval-ms", "0"));
            run.awaitRound(8, 120);
            String savepoint = stopWithSavepoint(job, cluster.checkpointUri(prefix + "savepoints"));
            long stoppedAt = run.roundReached();
            System.out.printf("cluster: stopped at round %d with %s%n", stoppedAt, savepoint);
            assertThat(stoppedAt).as("stopped mid-run").isLessThan(ROUNDS);
            String resumed = submit(savepoint, jobArgs(prefix, 2));
            run.assertEndsOn(reference);
            assertThat(parallelismOfServers(resumed)).isEqualTo(2);
        }
    }

    @Test
    @Order(3)
    void shouldRecoverToTheSameModelsWhenAKilledTaskManagerIsReplaced() throws Exception {
        String prefix = "tm-kill-" + UUID.randomUUID() + ".";
        try (Run run = new Run(prefix)) {
            String job =
                    submit(
                            null,
                            jobArgs(
                                    prefix,
                                    4,
                                    "--checkpoint-interval-ms",
                                    "300",
                                    "--restart-attempts",
                                    "20",
                                    "--restart-delay-ms",
                                    "500"));
            run.awaitRound(8, 120);
            long before = run.roundReached();
            long killedAt = System.nanoTime();
            long pid = cluster.killTaskManager("tm-1");
            cluster.addTaskManager();
            run.awaitRound(before + 2, 180);
            System.out.printf(
                    "cluster: TaskManager pid %d killed at round %d; rounds advance again after"
                            + " %.1f s%n",
                    pid, before, (System.nanoTime() - killedAt) / 1e9);
            assertThat(before).as("killed mid-run").isLessThan(ROUNDS - 2);
            run.assertEndsOn(reference);
        }
    }

    private static String submit(String savepoint, List<String> args) throws Exception {
        String job = cluster.submit(savepoint, args);
        submitted.add(job);
        return job;
    }

    /** The same scenario at parallelism 1 in a MiniCluster in this JVM, on the same broker. */
    private static Map<String, double[]> parallelismOneRun() throws Exception {
        String prefix = "p1-" + UUID.randomUUID() + ".";
        JobConfig config = JobOptions.parse(jobArgs(prefix, 1).toArray(String[]::new)).toConfig();
        try (EmbeddedJob job = EmbeddedJob.start(config);
                Run run = new Run(prefix)) {
            return run.awaitLast();
        }
    }

    private static List<String> jobArgs(String prefix, int parallelism, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers",
                                cluster.bootstrapServers(),
                                "--topic-prefix",
                                prefix,
                                "--job-name",
                                "cluster-" + prefix,
                                "--group-id",
                                "dflink-" + prefix,
                                "--parallelism",
                                String.valueOf(parallelism),
                                "--clients-per-server",
                                String.valueOf(CLIENTS),
                                "--consensus-steps",
                                "10",
                                "--rounds",
                                String.valueOf(ROUNDS),
                                // wait for neighbours however long a failover takes: reproducible
                                "--consensus-timeout-ms",
                                "0",
                                "--checkpoint-dir",
                                cluster.checkpointUri(prefix)));
        args.addAll(List.of(extra));
        return args;
    }

    /** A topology and an SDK fleet for one run, and an observer of its models. */
    private static final class Run implements AutoCloseable {
        private final RunObserver observer;
        private final Fleet fleet;

        Run(String prefix) {
            var kafka = new java.util.Properties();
            kafka.put("bootstrap.servers", cluster.bootstrapServers());
            io.dflink.kafka.TopicAdmin.createMissing(kafka, prefix, (short) 1);
            TopologyPublisher.publish(
                    kafka,
                    prefix,
                    TopologyEvent.graph(
                            0,
                            SCENARIO.serverIds(),
                            GraphShapes.edges(GraphShapes.Shape.RING, SCENARIO.serverIds(), 0, 0)));
            observer = new RunObserver(kafka, prefix);
            fleet = Fleet.start(kafka, prefix, SCENARIO, 0.01, 100, VectorEncoding.ARRAY);
        }

        long roundReached() {
            return observer.roundReachedByAll(SCENARIO.serverIds());
        }

        void awaitRound(long round, int seconds) throws InterruptedException {
            observer.awaitRound(SCENARIO.serverIds(), round, Duration.ofSeconds(seconds));
        }

        Map<String, double[]> awaitLast() throws InterruptedException {
            awaitRound(ROUNDS, 300);
            return observer.modelsAt(ROUNDS);
        }

        void assertEndsOn(Map<String, double[]> expected) throws InterruptedException {
            Map<String, double[]> last = awaitLast();
            assertThat(last.keySet()).isEqualTo(expected.keySet());
            for (String s : expected.keySet()) {
                assertThat(last.get(s)).as(s).containsExactly(expected.get(s), within(1e-9));
            }
            assertThat(observer.deadLetters()).isEmpty();
        }

        @Override
        public void close() throws Exception {
            fleet.close();
            observer.close();
        }
    }

    // ---- Flink's REST API ----

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(cluster.restUrl() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(cluster.restUrl() + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 202);
        return JSON.readTree(r.body());
    }

    /** Cancels the job (if it still runs) and waits until it has given its slots back. */
    private static void cancel(String job) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(cluster.restUrl() + "/jobs/" + job + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String state = get("/jobs/" + job).get("state").asText();
            if (Set.of("CANCELED", "FINISHED", "FAILED").contains(state)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + job + " did not stop");
    }

    /** Stops the job with a savepoint (no drain) and returns its location. */
    private static String stopWithSavepoint(String job, String directory) throws Exception {
        String trigger =
                post(
                                "/jobs/" + job + "/stop",
                                JSON.createObjectNode()
                                        .put("drain", false)
                                        .put("targetDirectory", directory)
                                        .toString())
                        .get("request-id")
                        .asText();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode s = get("/jobs/" + job + "/savepoints/" + trigger);
            if ("COMPLETED".equals(s.get("status").get("id").asText())) {
                JsonNode op = s.get("operation");
                if (op.has("failure-cause")) {
                    throw new AssertionError("savepoint failed: " + op.get("failure-cause"));
                }
                return op.get("location").asText();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the savepoint did not complete");
    }

    private static JsonNode serverVertex(String job) throws Exception {
        for (JsonNode v : get("/jobs/" + job).get("vertices")) {
            if (v.get("name").asText().contains("DFL server")) {
                return v;
            }
        }
        throw new AssertionError("no server vertex in job " + job);
    }

    private static int parallelismOfServers(String job) throws Exception {
        return serverVertex(job).get("parallelism").asInt();
    }

    /** The TaskManagers that run the server operator's subtasks. */
    private static Set<String> taskManagersOfServers(String job) throws Exception {
        String vertex = serverVertex(job).get("id").asText();
        Set<String> tms = new HashSet<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            tms.clear();
            for (JsonNode s : get("/jobs/" + job + "/vertices/" + vertex).get("subtasks")) {
                if (s.has("taskmanager-id")) {
                    tms.add(s.get("taskmanager-id").asText());
                }
            }
            if (tms.size() > 1) {
                break;
            }
            Thread.sleep(200);
        }
        return tms;
    }
}
