package io.dflink.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives {@code scripts/local-cluster.sh} from a test, as a user drives it from a shell: a broker
 * JVM, a JobManager JVM and TaskManager JVMs, each a separate process. {@link #close()} stops every
 * process the script started, by PID, whatever happened.
 */
final class LocalCluster implements AutoCloseable {

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");

    private final Path root;
    private final Path dir;
    final int kafkaPort;
    final int restPort;
    final int rpcPort;
    final int prometheusPort;

    private LocalCluster(Path root, Path dir) throws IOException {
        this.root = root;
        this.dir = dir;
        this.kafkaPort = freePort();
        this.restPort = freePort();
        this.rpcPort = freePort();
        this.prometheusPort = freePort();
    }

    /** Starts a broker, a JobManager and {@code taskManagers} TaskManagers of {@code slots}. */
    static LocalCluster start(Path root, Path dir, int taskManagers, int slots) throws Exception {
        LocalCluster c = new LocalCluster(root, dir);
        try {
            c.script(
                    180,
                    "start",
                    "--dir",
                    dir.toString(),
                    "--taskmanagers",
                    String.valueOf(taskManagers),
                    "--slots",
                    String.valueOf(slots),
                    "--kafka-port",
                    String.valueOf(c.kafkaPort),
                    "--rest-port",
                    String.valueOf(c.restPort),
                    "--rpc-port",
                    String.valueOf(c.rpcPort),
                    // every Flink JVM takes the first free port of the range
                    "--prometheus",
                    c.prometheusPort + "-" + (c.prometheusPort + 20));
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Where each Flink JVM serves its metrics for Prometheus, as their logs say. */
    List<String> prometheusUrls() throws IOException {
        List<String> urls = new ArrayList<>();
        Pattern line = Pattern.compile("serving Prometheus metrics on (http://\\S+)");
        try (Stream<Path> logs = Files.list(dir.resolve("log"))) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                Matcher m = line.matcher(Files.readString(log));
                while (m.find()) {
                    urls.add(m.group(1));
                }
            }
        }
        return urls;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    String restUrl() {
        return "http://localhost:" + restPort;
    }

    /** A checkpoint and savepoint directory for one run, as a file URI all processes can reach. */
    String checkpointUri(String run) {
        return dir.resolve("checkpoints").resolve(run).toUri().toString();
    }

    /** {@code flink run -d} of the thin job jar through the script; returns the job id. */
    String submit(String savepoint, List<String> jobArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("submit", "--dir", dir.toString()));
        if (savepoint != null) {
            args.addAll(List.of("--savepoint", savepoint));
        }
        args.add("--");
        args.addAll(jobArgs);
        String out = script(120, args.toArray(String[]::new));
        Matcher m = JOB_ID.matcher(out);
        if (!m.find()) {
            throw new AssertionError("no job id in the submit output:\n" + out);
        }
        return m.group(1);
    }

    /** Starts one more TaskManager (a replacement after a kill). */
    void addTaskManager() throws Exception {
        script(60, "add-taskmanager", "--dir", dir.toString());
    }

    /** SIGKILLs TaskManager {@code name} (e.g. "tm-1"); returns its PID. */
    long killTaskManager(String name) throws IOException {
        long pid = Long.parseLong(Files.readString(dir.resolve("pids/" + name + ".pid")).trim());
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        p.destroyForcibly(); // SIGKILL
        p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        return pid;
    }

    /** The script's output of a finished {@code start}: how long the cluster took. */
    String log(String name) throws IOException {
        Path file = dir.resolve("log/" + name);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private String script(int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/local-cluster.sh"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("local-cluster", ".out");
        Process p =
                new ProcessBuilder(cmd)
                        .directory(root.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " timed out:\n" + text);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + text);
        }
        System.out.print(text);
        return text;
    }

    /** Stops everything by PID: the script's stop, then any survivor is killed here. */
    @Override
    public void close() throws Exception {
        try {
            script(60, "stop", "--dir", dir.toString());
        } finally {
            Path pids = dir.resolve("pids");
            if (Files.isDirectory(pids)) {
                try (var files = Files.list(pids)) {
                    for (Path f : files.toList()) {
                        Optional<ProcessHandle> p =
                                ProcessHandle.of(Long.parseLong(Files.readString(f).trim()));
                        p.ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
