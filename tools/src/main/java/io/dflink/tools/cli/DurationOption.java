package io.dflink.tools.cli;

import io.dflink.settings.Require;

import picocli.CommandLine.Option;

/** How long a long-running command runs: until interrupted, or for a given time. */
public class DurationOption {

    @Option(
            names = "--duration-seconds",
            description =
                    "Stop after this many seconds; 0 = until interrupted (default: ${DEFAULT-VALUE}).")
    long durationSeconds = 0;

    /** Throws on a negative duration; commands call it before they connect. */
    void check() {
        Require.atLeast("duration-seconds", durationSeconds, 0);
    }

    /** The wall-clock time (epoch millis) to stop at; Long.MAX_VALUE when unbounded. */
    long deadlineMillis() {
        check();
        return durationSeconds > 0
                ? System.currentTimeMillis() + durationSeconds * 1000
                : Long.MAX_VALUE;
    }
}
