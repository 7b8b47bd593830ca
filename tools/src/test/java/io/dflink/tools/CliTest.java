package io.dflink.tools;

import io.dflink.jobs.FederationJob;
import io.dflink.tools.cli.DflinkCli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command answers {@code --help} with its options. */
class CliTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "demo", "broker", "run", "fleet", "topology", "topics", "watch"})
    void shouldPrintHelpForEveryCommand(String command) {
        StringWriter text = new StringWriter();
        CommandLine cli = DflinkCli.commandLine();
        cli.setOut(new PrintWriter(text));
        String[] args =
                command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        assertThat(cli.execute(args)).isZero();
        assertThat(text.toString()).contains("Usage: dflink").contains("--help");
        if (!command.isEmpty() && !command.equals("demo") && !command.equals("broker")) {
            assertThat(text.toString()).contains("--bootstrap-servers");
        }
    }

    /** Walks the whole command tree, so a new command cannot ship without --help. */
    @Test
    void shouldPrintTheJobOptionsOnHelpAtTheClusterEntryPoint() throws Exception {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            FederationJob.main(new String[] {"--help"});
        } finally {
            System.setOut(saved);
        }
        assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("flink run -c io.dflink.jobs.FederationJob dflink-job.jar")
                .contains("--bootstrap-servers")
                .contains("--lora-variant");
    }

    @Test
    void shouldPrintHelpForEveryCommandAndSubcommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(DflinkCli.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).anySatisfy(p -> assertThat(p).containsExactly("bench", "fda"));
        for (List<String> path : paths) {
            StringWriter text = new StringWriter();
            CommandLine cli = DflinkCli.commandLine();
            cli.setOut(new PrintWriter(text));
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertThat(cli.execute(args.toArray(String[]::new))).as(path.toString()).isZero();
            assertThat(text.toString()).as(path.toString()).contains("Usage: dflink");
        }
    }

    private static void collect(CommandLine cli, List<String> path, List<List<String>> out) {
        for (var e : cli.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }
}
