package io.dflink.cluster;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code dflink} launcher's rebuild rule, on a copy of the launcher in a scratch project whose
 * {@code mvnw} only records that it was called and lays out the build's outputs (a jar and a
 * classpath file naming this test's classpath, so the real CLI answers {@code --version}): the
 * launcher builds on first use, not after files under {@code target/} change (a running local
 * cluster writes its configuration there), once after a source changes, and says so when a local
 * cluster is running.
 */
class LauncherTest {

    private static final Path ROOT = Path.of(System.getProperty("dflink.root", ".."));

    @TempDir Path project;
    private Path builds;

    @BeforeEach
    void layOutProject() throws IOException {
        Files.copy(ROOT.resolve("dflink"), project.resolve("dflink"));
        builds = project.resolve("builds.log");
        Path emptyJar = project.resolve("empty.jar");
        try (OutputStream out = Files.newOutputStream(emptyJar);
                JarOutputStream jar = new JarOutputStream(out, new Manifest())) {
            jar.flush();
        }
        Files.writeString(project.resolve("classpath.txt"), existingTestClasspath());
        Path mvnw = project.resolve("mvnw");
        Files.writeString(
                mvnw,
                String.join(
                        "\n",
                        "#!/usr/bin/env bash",
                        "echo \"$*\" >> builds.log",
                        "mkdir -p tools/target",
                        "cp empty.jar tools/target/dflink-tools-0.1.0-SNAPSHOT.jar",
                        "cp classpath.txt tools/target/runtime-classpath.txt",
                        ""));
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(
                project.resolve("dflink"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        write("jobs/src/main/java/io/dflink/Example.java", "class Example {}\n");
    }

    @Test
    void shouldRebuildOnlyWhenAProjectSourceChanged() throws Exception {
        assertThat(launch()).contains("dflink: building").contains("dflink 0.1.0");
        assertThat(buildCount()).as("first use builds").isEqualTo(1);

        assertThat(launch()).doesNotContain("building").contains("dflink 0.1.0");
        assertThat(buildCount()).as("an up-to-date build is not repeated").isEqualTo(1);

        touchLater(write("target/local-cluster/conf/config.yaml", "rest: {port: 8081}\n"));
        touchLater(write("tools/target/classes/log4j2.properties", "rootLogger.level = WARN\n"));
        touchLater(project.resolve("tools/target/dflink-tools-0.1.0-SNAPSHOT.jar"));
        assertThat(launch()).doesNotContain("building");
        assertThat(buildCount()).as("nothing under target/ is a source").isEqualTo(1);

        touchLater(project.resolve("jobs/src/main/java/io/dflink/Example.java"));
        assertThat(launch()).contains("dflink: building").contains("dflink 0.1.0");
        assertThat(launch()).doesNotContain("building");
        assertThat(buildCount()).as("a changed source rebuilds, once").isEqualTo(2);
    }

    @Test
    void shouldSayWhenItRebuildsTheJarsOfARunningLocalCluster() throws Exception {
        launch();
        write("target/local-cluster/pids/jobmanager.pid", ProcessHandle.current().pid() + "\n");
        touchLater(project.resolve("pom.xml"));
        assertThat(launch())
                .contains("the local cluster (target/local-cluster) is running")
                .contains("dflink: building");
        assertThat(buildCount()).isEqualTo(2);
    }

    @Test
    void shouldRebuildWhenAJarOnTheClasspathIsGone() throws Exception {
        launch();
        Path gone = project.resolve("gone.jar");
        Files.copy(project.resolve("empty.jar"), gone, StandardCopyOption.REPLACE_EXISTING);
        Path cp = project.resolve("tools/target/runtime-classpath.txt");
        Files.writeString(cp, gone + ":" + Files.readString(cp));
        assertThat(launch()).doesNotContain("building");
        Files.delete(gone);
        assertThat(launch()).contains("dflink: building");
        assertThat(buildCount()).isEqualTo(2);
    }

    /** This test's classpath (the real CLI is on it), without folders Maven did not create. */
    private static String existingTestClasspath() {
        return Arrays.stream(System.getProperty("surefire.test.class.path").split(":"))
                .filter(entry -> Files.exists(Path.of(entry)))
                .collect(Collectors.joining(":"));
    }

    private String launch() throws Exception {
        Process p =
                new ProcessBuilder("bash", project.resolve("dflink").toString(), "--version")
                        .directory(project.toFile())
                        .redirectErrorStream(true)
                        .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private long buildCount() throws IOException {
        return Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
    }

    private Path write(String relative, String text) throws IOException {
        Path file = project.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /**
     * Changes the file's time to now, more than a second after the last build started: newer than
     * the launcher's stamp even on a file system that keeps whole seconds.
     */
    private static void touchLater(Path file) throws Exception {
        Thread.sleep(1_100);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    }
}
