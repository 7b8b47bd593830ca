package io.dflink.tools;

import io.dflink.tools.cli.DflinkCli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person sees after a mistake, from the CLI's {@code main} in a JVM of its own (as the
 * launcher runs it): a bad option value is one line naming the option, the value and what is
 * allowed, a pointer to the command's help and exit code 2, for every command; an unknown command
 * exits 2 with or without {@code --help}; a Kafka address where nothing answers ends within the
 * configured bound with one line and exit code 1; no stack trace unless {@code --verbose}.
 */
class CliErrorsTest {

    @ParameterizedTest(name = "dflink {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "run --consensus-steps -3 | --consensus-steps | -3 | must be >= 0",
                "run --dim 0 | --dim | 0 | must be >= 1",
                "run --admm-tau 0 --algorithm LT_ADMM | --admm-tau | 0 | must be >= 1",
                "run --algorithm LORA --lora-rows 8 --lora-cols 16 --lora-link-probability 2"
                        + " | --lora-link-probability | 2.0 | (0, 1]",
                "run --checkpoint-interval-ms 0 --output-delivery EXACTLY_ONCE"
                        + " | --output-delivery | EXACTLY_ONCE | needs checkpointing",
                "run --consensus-steps many | --consensus-steps | many | is not an int",
                "demo --servers 0 | --servers | 0 | must be >= 1",
                "demo --step-size -1 | --step-size | -1.0 | > 0",
                "fleet --local-steps 0 | --local-steps | 0 | must be >= 1",
                "fleet --duration-seconds -5 | --duration-seconds | -5 | must be >= 0",
                "topology --edge s0 | --edge | s0 | A:B",
                "topology --shape ring --servers 0 | --servers | 0 | must be >= 1",
                "topics --replication-factor 0 | --replication-factor | 0 | must be >= 1",
                "watch --duration-seconds -1 | --duration-seconds | -1 | must be >= 0",
                "broker --port 70000 | --port | 70000 | 0..65535",
                "bench fda --rounds 0 | --rounds | 0 | must be >= 1",
                "bench fda --scenarios nope | --scenarios | nope | 1x10-iid",
                "bench admm --gamma 0 | --gamma | 0.0 | > 0",
                "bench lora --probabilities 0.5,3 | --probabilities | 3.0 | (0, 1]",
                "bench ingest --servers 0 | --servers | 0 | must be >= 1",
                "bench latency --servers 1 | --servers | 1 | must be >= 2",
                "bench fan-in --rounds 1 | --rounds | 1 | must be >= 3",
                "bench scale --degree 1 | --degree | 1 | must be >= 2",
                "bench fan-in --profile x.jfr | --profile | x.jfr | applies to --backlog runs",
                "bench mqtt --rounds 2 | --rounds | 2 | must be >= 3",
                "mqtt-bridge --mqtt-url http://h:1 | --mqtt-url | http://h:1 | tcp://, mqtt://",
                "mqtt-bridge --mqtt-prefix a/+/b | --mqtt-prefix | a/+/b | without wildcards",
                "mqtt-bridge --mqtt-url tcp://h:1 --mqtt-ca-file ca.pem | --mqtt-ca-file | ca.pem"
                        + " | ssl://",
                "fleet --over-mqtt --client-phase ASYNC | --over-mqtt | true | lock-step devices",
                "run --prometheus-port 70000 | --prometheus-port | 70000 | 0..65535",
                "run --server-metrics ALL | --server-metrics | ALL | EDGES, SERVERS, NONE",
                "demo --lora TAD_LORA --ui | --ui | true | not --lora",
                "demo --ui --ui-port -1 | --ui-port | -1 | must be >= 0",
                "ui --port -2 | --port | -2 | must be >= 0",
                "ui --duration-seconds -1 | --duration-seconds | -1 | must be >= 0",
            })
    void shouldReportABadValueAsOneLineOnItsOption(
            String command, String option, String value, String allowed) throws Exception {
        Result r = dflink(command.trim().split(" +"));
        assertThat(r.exitCode).as(r.output).isEqualTo(2);
        assertThat(r.firstLine())
                .startsWith("dflink " + command.split(" ")[0])
                .contains("'" + option.trim() + "'")
                .contains(value.trim())
                .contains(allowed.trim());
        assertThat(r.output).contains("--help' for more information.");
        assertNoStackTrace(r);
    }

    @ParameterizedTest(name = "dflink {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "run --algorithm DFL --lora-rank 4 | '--lora-rank' applies with --algorithm LORA",
                "run --admm-gamma 0.1 | '--admm-gamma' applies with --algorithm LT_ADMM",
                "run --fda-period 5 | '--fda-period' applies with --fda",
                "run --algorithm LT_ADMM --fda LINEAR | '--fda': LINEAR (applies to --algorithm DFL",
                "run --algorithm LORA --lora-cols 16 | '--lora-rows' is required with --algorithm"
                        + " LORA",
                "run --security-profile SSL | '--truststore' is required with --security-profile"
                        + " SSL",
                "run --server-sync-threshold 1 | '--server-sync-threshold' applies with"
                        + " --server-sync VARIANCE",
                "run --resume | '--resume' needs --checkpoint-dir",
                "run --resume --from-checkpoint x | '--resume' and --from-checkpoint exclude",
                "run --from-checkpoint /no/such/chk-3 | '--from-checkpoint': /no/such/chk-3 (must"
                        + " be a checkpoint or savepoint directory",
            })
    void shouldReportOptionsThatDoNotGoTogether(String command, String message) throws Exception {
        Result r = dflink(command.trim().split(" +"));
        assertThat(r.exitCode).as(r.output).isEqualTo(2);
        assertThat(r.firstLine()).contains(message.trim());
        assertNoStackTrace(r);
    }

    @Test
    void shouldExitNonZeroOnAnUnknownCommandWithOrWithoutHelp() throws Exception {
        for (String[] args : List.of(new String[] {"demoo"}, new String[] {"demoo", "--help"})) {
            Result r = dflink(args);
            assertThat(r.exitCode).as(r.output).isEqualTo(2);
            assertThat(r.output).contains("'demoo'").contains("Did you mean: dflink demo");
            assertNoStackTrace(r);
        }
        Result sub = dflink("bench", "fanin");
        assertThat(sub.exitCode).as(sub.output).isEqualTo(2);
        assertThat(sub.output).contains("Did you mean: bench fan-in");
    }

    @Test
    void shouldGiveUpOnAnUnreachableBrokerWithinItsBound() throws Exception {
        String nowhere = "127.0.0.1:" + freePort();
        for (String command :
                List.of("run", "topics", "topology", "fleet", "watch", "mqtt-bridge", "ui")) {
            List<String> args =
                    new ArrayList<>(
                            List.of(
                                    command,
                                    "--bootstrap-servers",
                                    nowhere,
                                    "--kafka-timeout-seconds",
                                    "3"));
            if (command.equals("topology")) {
                args.addAll(List.of("--shape", "ring"));
            }
            long start = System.nanoTime();
            Result r = dflink(args.toArray(String[]::new));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.exitCode).as(r.output).isEqualTo(1);
            assertThat(r.firstLine())
                    .startsWith("dflink " + command + ": no Kafka broker answered at " + nowhere)
                    .contains("within 3 s")
                    .contains("./dflink broker");
            assertThat(r.output.lines().count()).as(r.output).isEqualTo(1);
            // 3 s of waiting plus a JVM start on a busy 2-core machine
            assertThat(seconds).as(command).isLessThan(20);
            assertNoStackTrace(r);
        }
    }

    @Test
    void shouldSayWhenThereIsNothingToResumeFrom(@org.junit.jupiter.api.io.TempDir Path empty)
            throws Exception {
        Result r = dflink("run", "--resume", "--checkpoint-dir", empty.toUri().toString());
        assertThat(r.exitCode).as(r.output).isEqualTo(1);
        assertThat(r.firstLine()).contains("no complete checkpoint or savepoint in " + empty);
        assertNoStackTrace(r);
    }

    @Test
    void shouldShowTheStackTraceOnlyWhenVerbose() throws Exception {
        Result r = dflink("run", "--consensus-steps", "-3", "--verbose");
        assertThat(r.exitCode).isEqualTo(2);
        assertThat(r.firstLine()).contains("'--consensus-steps': -3");
        assertThat(r.output).contains("InvalidSettingException").contains("\tat ");
    }

    private static void assertNoStackTrace(Result r) {
        assertThat(r.output).as(r.output).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private record Result(int exitCode, String output) {
        String firstLine() {
            return output.lines().findFirst().orElse("");
        }
    }

    /** Runs the CLI's main in a JVM of its own, as the launcher does. */
    private static Result dflink(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        // the logging the launcher gets (the main resources), not the tests' own
        cmd.add("-Dlog4j2.configurationFile=log4j2.properties");
        cmd.addAll(List.of("-cp", System.getProperty("surefire.test.class.path")));
        cmd.add(DflinkCli.class.getName());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
