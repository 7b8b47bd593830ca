package io.dflink.tools;

import io.dflink.clients.ClientRuntime;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.jobs.JobOptions;
import io.dflink.kafka.TopicAdmin;
import io.dflink.kafka.Topics;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.SdkFleetRun;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dflink run} as its own process, killed with SIGKILL mid-run (no cleanup, no savepoint),
 * then started again with {@code --resume}: the second process restores the newest retained
 * checkpoint and the run ends on the models of an uninterrupted run, bit for bit. The devices (an
 * SDK fleet in this JVM) keep running through the crash, as a real fleet would.
 */
class ResumeITCase {

    private static final int ROUNDS = 30;
    private static final int SERVERS = 3;

    private static EmbeddedKafka kafka;

    @TempDir Path checkpoints;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldEndOnTheUninterruptedModelsAfterAKillAndAResume() throws Exception {
        Map<String, double[]> expected = uninterrupted();

        String prefix = "resume-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix);
        TopicAdmin.createMissing(config.kafkaCommon(), prefix, (short) 1);
        List<String> run = new ArrayList<>(args(prefix));
        run.addAll(
                List.of(
                        "--checkpoint-dir",
                        checkpoints.toUri().toString(),
                        "--checkpoint-interval-ms",
                        "300"));
        Map<String, double[]> finals;
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers());
                ClientRuntime fleet =
                        new ClientRuntime(config.kafkaCommon(), prefix, config.vectorEncoding())) {
            devices().values().forEach(own -> own.forEach(fleet::add));
            Thread devices = new Thread(fleet::run, "sdk-fleet");
            devices.start();
            outside.send(prefix + Topics.TOPOLOGY.name(), "graph", OutsideClient.ring(SERVERS));

            Process first = start(run, "first");
            long killedAt = awaitRoundAndCheckpoint(outside, prefix, 8);
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(killedAt).as("killed mid-run").isLessThan(ROUNDS);

            List<String> again = new ArrayList<>(run);
            again.add("--resume");
            Process second = start(again, "second");
            try {
                Map<String, JsonNode> last =
                        outside.awaitLastModels(
                                prefix + Topics.SERVER_MODELS.name(), SERVERS, 180_000);
                finals = vectors(last);
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
            fleet.stop();
            devices.join(10_000);
            String log = Files.readString(logFile("second"));
            assertThat(log).contains("resuming from");
        }
        assertThat(finals.keySet()).isEqualTo(expected.keySet());
        for (String s : expected.keySet()) {
            assertThat(finals.get(s))
                    .as("final model of %s after kill -9 and --resume", s)
                    .containsExactly(expected.get(s));
        }
    }

    /** The same run in this JVM, without interruption. */
    private static Map<String, double[]> uninterrupted() throws Exception {
        String prefix = "resume-ref-" + UUID.randomUUID() + ".";
        JobConfig config = config(prefix);
        try (OutsideClient outside = new OutsideClient(kafka.bootstrapServers())) {
            return vectors(
                    SdkFleetRun.untilLastModels(
                            config,
                            JobIo.kafka(config),
                            devices(),
                            OutsideClient.ring(SERVERS),
                            outside));
        }
    }

    private static Map<String, List<io.dflink.clients.FederatedClient>> devices() {
        return Fleet.devices(ScalarRegressionScenario.paperDefaults(3, SERVERS, 3), 0.05, 50);
    }

    private static List<String> args(String prefix) {
        return List.of(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic-prefix",
                prefix,
                "--job-name",
                prefix,
                "--parallelism",
                "2",
                "--rounds",
                Integer.toString(ROUNDS),
                "--clients-per-server",
                "3",
                "--consensus-steps",
                "10");
    }

    private static JobConfig config(String prefix) {
        return JobOptions.parse(args(prefix).toArray(String[]::new)).toConfig();
    }

    /** Starts {@code dflink run} in a JVM of its own, on this test's class path. */
    private static Process start(List<String> runArgs, String name) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.dflink.tools.cli.DflinkCli");
        command.add("run");
        command.addAll(runArgs);
        File log = logFile(name).toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static Path logFile(String name) throws Exception {
        Path dir = Path.of("target", "resume-it");
        Files.createDirectories(dir);
        return dir.resolve(name + ".log");
    }

    /**
     * Waits until every server published round {@code round} and a checkpoint is complete; returns
     * the highest round seen (no server has published its last model yet).
     */
    private long awaitRoundAndCheckpoint(OutsideClient outside, String prefix, long round)
            throws Exception {
        Map<String, Long> reached = new TreeMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        try (KafkaConsumer<String, String> reader =
                outside.reader(prefix + Topics.SERVER_MODELS.name())) {
            while (System.currentTimeMillis() < deadline) {
                for (JsonNode m : OutsideClient.poll(reader)) {
                    assertThat(m.get("last").asBoolean())
                            .as("the run ended before the kill")
                            .isFalse();
                    reached.merge(m.get("serverId").asText(), m.get("round").asLong(), Math::max);
                }
                boolean far =
                        reached.size() == SERVERS
                                && reached.values().stream().allMatch(r -> r >= round);
                if (far && hasCheckpoint()) {
                    return reached.values().stream().max(Long::compare).orElseThrow();
                }
            }
        }
        throw new AssertionError("no round " + round + " with a checkpoint in time: " + reached);
    }

    private boolean hasCheckpoint() throws Exception {
        try (Stream<Path> files = Files.find(checkpoints, 3, (p, a) -> p.endsWith("_metadata"))) {
            return files.findAny().isPresent();
        }
    }

    private static Map<String, double[]> vectors(Map<String, JsonNode> last) {
        Map<String, double[]> out = new TreeMap<>();
        last.forEach((s, m) -> out.put(s, OutsideClient.vector(m.get("vector"))));
        return out;
    }
}
