package io.dflink.tools.bench;

import io.dflink.tools.report.LinePlot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The robust-aggregation benchmark's table, JSON report and accuracy-vs-fraction plots. */
public final class RobustBenchReport {

    private RobustBenchReport() {}

    /** One table per attack: a row per Byzantine fraction, a column per defence. */
    public static void printTable(RobustBenchmark.Result r, PrintStream out) {
        RobustBenchmark.Settings s = r.settings();
        List<RobustBenchmark.Defence> defences = RobustBenchmark.defences(s);
        out.printf(
                Locale.ROOT,
                "held-out accuracy of the servers' final models (mean over %d servers, mean ± sd"
                        + " over %d seeds); %d servers x %d label-skewed devices, %d rounds%n",
                s.servers(),
                s.seeds(),
                s.servers(),
                s.devicesPerServer(),
                s.rounds());
        for (RobustAttack.Kind attack : s.attacks()) {
            out.println();
            out.printf("%-18s", attack);
            for (RobustBenchmark.Defence d : defences) {
                out.printf(" %22s", d.name());
            }
            out.println();
            for (double f : s.fractions()) {
                out.printf(
                        Locale.ROOT,
                        "%-18s",
                        String.format(Locale.ROOT, "%.0f%% Byzantine", 100 * f));
                for (RobustBenchmark.Defence d : defences) {
                    RobustBenchmark.Row row = find(r, f, f == 0 ? null : attack, d);
                    out.printf(
                            Locale.ROOT,
                            " %22s",
                            row == null
                                    ? "-"
                                    : String.format(
                                            Locale.ROOT, "%.3f ± %.3f", row.mean(), row.std()));
                }
                out.println();
            }
        }
        out.printf(Locale.ROOT, "%.1f s%n", r.seconds());
    }

    public static void writeJson(RobustBenchmark.Result r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(r.settings()));
        root.put("seconds", r.seconds());
        ArrayNode rows = root.putArray("cells");
        for (RobustBenchmark.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.put("byzantineFraction", row.fraction());
            n.put("attack", row.attack() == null ? null : row.attack().name());
            n.put("defence", row.defence().name());
            n.put("aggregation", row.defence().rule().toString());
            n.put("bound", row.defence().bound().toString());
            n.set("accuracyPerSeed", mapper.valueToTree(row.accuracy()));
            n.put("accuracyMean", row.mean());
            n.put("accuracyStd", row.std());
            n.put("updatesClippedRefusedOrDiscarded", row.touched());
        }
        mapper.writeValue(file.toFile(), root);
    }

    /** robust-<attack>.png: accuracy against the Byzantine fraction, a line per defence. */
    public static List<Path> writePlots(RobustBenchmark.Result r, Path dir) throws IOException {
        RobustBenchmark.Settings s = r.settings();
        List<Path> files = new ArrayList<>();
        for (RobustAttack.Kind attack : s.attacks()) {
            LinePlot plot =
                    new LinePlot(
                                    "digits, " + attack + ": accuracy vs Byzantine devices",
                                    "Byzantine devices per server (%)",
                                    "held-out accuracy",
                                    false)
                            .withYMin(0);
            for (RobustBenchmark.Defence d : RobustBenchmark.defences(s)) {
                List<double[]> points = new ArrayList<>();
                for (double f : s.fractions()) {
                    RobustBenchmark.Row row = find(r, f, f == 0 ? null : attack, d);
                    if (row != null) {
                        points.add(new double[] {100 * f, row.mean()});
                    }
                }
                double[] x = new double[points.size()];
                double[] y = new double[points.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = points.get(i)[0];
                    y[i] = points.get(i)[1];
                }
                plot.add(d.name(), x, y);
            }
            Path file = dir.resolve("robust-" + attack.name().toLowerCase(Locale.ROOT) + ".png");
            plot.write(file);
            files.add(file);
        }
        return files;
    }

    static RobustBenchmark.Row find(
            RobustBenchmark.Result r,
            double fraction,
            RobustAttack.Kind attack,
            RobustBenchmark.Defence d) {
        for (RobustBenchmark.Row row : r.rows()) {
            if (row.fraction() == fraction
                    && row.attack() == attack
                    && row.defence().name().equals(d.name())) {
                return row;
            }
        }
        return null;
    }
}
