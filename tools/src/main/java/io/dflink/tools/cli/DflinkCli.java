package io.dflink.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dflink} command line: one subcommand per thing a user does. */
@Command(
        name = "dflink",
        mixinStandardHelpOptions = true,
        version = "dflink 0.1.0",
        description = "Multi-server federated learning on Apache Flink and Apache Kafka.",
        subcommands = {
            DemoCommand.class,
            BrokerCommand.class,
            RunCommand.class,
            FleetCommand.class,
            TopologyCommand.class,
            TopicsCommand.class,
            WatchCommand.class,
            UiCommand.class,
            MqttBridgeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class DflinkCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = "--verbose",
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Print the frameworks' log at INFO, and on errors the stack trace (or set"
                            + " DFLINK_VERBOSE=1).")
    void setVerbose(boolean on) {
        CliErrors.setVerbose(on);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: enum values are case-insensitive (--shape ring), errors are one
     * line with exit code 2 (usage) or 1 (failure), see {@link CliErrors}.
     */
    public static CommandLine commandLine() {
        return CliErrors.install(
                new CommandLine(new DflinkCli()).setCaseInsensitiveEnumValuesAllowed(true));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
