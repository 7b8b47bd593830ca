package io.dflink.tools.cli;

import io.dflink.kafka.KafkaUnavailableException;
import io.dflink.settings.InvalidSettingException;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * How the command line reports what went wrong: one line that says what and where, then (for usage
 * errors) a pointer to the command's help. Usage errors exit with 2, everything else with 1; the
 * stack trace only with {@code --verbose} or {@code DFLINK_VERBOSE=1}.
 *
 * <p>Validation lives in the typed configurations ({@link io.dflink.settings.Require}); their
 * {@link InvalidSettingException} names the setting by its public name, which is the option's long
 * name without the dashes, so it is reported here as an error on that option of the command.
 */
final class CliErrors implements CommandLine.IParameterExceptionHandler {

    static final int USAGE = 2;
    static final int FAILURE = 1;

    private static volatile boolean verbose = "1".equals(System.getenv("DFLINK_VERBOSE"));

    static void setVerbose(boolean on) {
        verbose = on || "1".equals(System.getenv("DFLINK_VERBOSE"));
        if (verbose) {
            Logging.verbose();
        }
    }

    /** Installs the handlers and the strict execution strategy on {@code cli}. */
    static CommandLine install(CommandLine cli) {
        return cli.setParameterExceptionHandler(new CliErrors())
                .setExecutionExceptionHandler(CliErrors::onExecutionFailure)
                .setExecutionStrategy(CliErrors::executeStrictly);
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println(prefix(cli) + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        return usageHint(cli, e);
    }

    /**
     * Runs the last subcommand, but first refuses arguments nobody took: picocli lets {@code dflink
     * nosuch --help} print the top-level help and exit 0, which hides the typo from a script.
     */
    private static int executeStrictly(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (!p.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static int onExecutionFailure(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        InvalidSettingException invalid = find(e, InvalidSettingException.class);
        if (invalid != null) {
            err.println(prefix(cli) + describe(invalid, cli.getCommandSpec()));
            return usageHint(cli, e);
        }
        KafkaUnavailableException kafka = find(e, KafkaUnavailableException.class);
        if (kafka != null) {
            err.println(prefix(cli) + kafka.getMessage() + ". " + advice(kafka));
        } else {
            err.println(prefix(cli) + oneLine(e) + (verbose ? "" : " (--verbose shows where)"));
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILURE;
    }

    /**
     * The one-line message of an invalid setting, on the option of {@code spec} it came from when
     * the command has one of that name.
     */
    static String describe(InvalidSettingException e, CommandSpec spec) {
        OptionSpec option = spec.findOption("--" + e.setting());
        if (option == null) {
            return "invalid setting " + e.getMessage();
        }
        if (e.value() == null) {
            return "option '" + option.longestName() + "' " + e.allowed();
        }
        return "invalid value for option '"
                + option.longestName()
                + "': "
                + e.value()
                + " ("
                + e.allowed()
                + ")";
    }

    private static String advice(KafkaUnavailableException e) {
        return switch (e.problem()) {
            case UNREACHABLE ->
                    "Is Kafka running there? './dflink broker' starts a local one;"
                            + " --bootstrap-servers points elsewhere, --kafka-timeout-seconds waits longer";
            case AUTHENTICATION ->
                    "Check --sasl-username and --sasl-password" + " ($DFLINK_SASL_PASSWORD)";
            case TLS ->
                    "Check --security-profile, --truststore (the broker's CA) and, for"
                            + " MTLS, --keystore";
            case MISSING_TOPICS ->
                    "Create them with './dflink topics --bootstrap-servers "
                            + e.bootstrapServers()
                            + "' (or start './dflink run', which creates them)";
        };
    }

    private static int usageHint(CommandLine cli, Exception e) {
        PrintWriter err = cli.getErr();
        err.println(
                "Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    private static String prefix(CommandLine cli) {
        return cli.getCommandSpec().qualifiedName() + ": ";
    }

    /** The exception's own message, or its innermost cause's when it only wraps one. */
    private static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t instanceof CommandLine.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        boolean plain = t instanceof IllegalArgumentException || t instanceof IllegalStateException;
        // a checked exception's message is often just a path ("NoSuchFileException: x.json")
        return plain && !m.isEmpty()
                ? m
                : t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
