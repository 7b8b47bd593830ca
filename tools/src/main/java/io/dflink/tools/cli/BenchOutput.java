package io.dflink.tools.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The output folder of a {@code dflink bench} command, and how its report and plots get there. */
public final class BenchOutput {

    /** Writes a report file. */
    interface Report {
        void write(Path file) throws IOException;
    }

    /** Writes plots into a folder and returns their files. */
    interface Plots {
        List<Path> write(Path dir) throws IOException;
    }

    @Option(
            names = "--out",
            description = "Directory for the report and plots (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("target", "bench");

    /** Writes {@code value} as indented JSON to {@code name}, with no plots. */
    void writeJson(String name, Object value) throws IOException {
        write(
                name,
                f ->
                        new ObjectMapper()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValue(f.toFile(), value),
                d -> List.of());
    }

    /** Writes {@code name} and the plots into the folder and prints where they are. */
    void write(String name, Report report, Plots plots) throws IOException {
        Files.createDirectories(out);
        Path json = out.resolve(name);
        report.write(json);
        System.out.println("report: " + json);
        for (Path plot : plots.write(out)) {
            System.out.println("plot: " + plot);
        }
    }
}
