package io.dflink.jobs;

import io.dflink.jobs.cli.DflinkCli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

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
}
