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

/** The server-tier benchmark's table, JSON report and accuracy-vs-consensus-bytes plots. */
public final class ServerTierBenchReport {

    private ServerTierBenchReport() {}

    /** The Always row of the same scenario and client tier. */
    private static ServerTierBenchmark.Row always(
            ServerTierBenchmark.Result r, ServerTierBenchmark.Row row) {
        for (ServerTierBenchmark.Row o : r.rows()) {
            if (o.scenario().equals(row.scenario())
                    && o.clientTier().equals(row.clientTier())
                    && o.strategy().name().equals("Always")) {
                return o;
            }
        }
        return null;
    }

    /** Always's consensus bytes to target over this row's, or NaN when either misses it. */
    public static double savings(ServerTierBenchmark.Result r, ServerTierBenchmark.Row row) {
        ServerTierBenchmark.Row base = always(r, row);
        FdaRun.Point mine = row.outcome().first(r.target());
        FdaRun.Point theirs = base == null ? null : base.outcome().first(r.target());
        if (mine == null || theirs == null || mine.consensusBytes() == 0) {
            return Double.NaN;
        }
        return (double) theirs.consensusBytes() / mine.consensusBytes();
    }

    public static void printTable(ServerTierBenchmark.Result r, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%nserver tier: target accuracy %.3f (centralised %.4f)%n",
                r.target(),
                r.centralisedAccuracy());
        out.printf(
                Locale.ROOT,
                "%-10s %-18s %-20s %6s %10s %12s %8s %12s %9s %10s%n",
                "scenario",
                "clients",
                "servers",
                "rounds",
                "cons. msgs",
                "cons. bytes",
                "fewer",
                "all bytes",
                "final acc",
                "gossiped");
        for (ServerTierBenchmark.Row row : r.rows()) {
            FdaRun.Point p = row.outcome().first(r.target());
            double saved = savings(r, row);
            out.printf(
                    Locale.ROOT,
                    "%-10s %-18s %-20s %6s %10s %12s %8s %12s %9.4f %10.1f%n",
                    row.scenario().name(),
                    row.clientTier(),
                    row.strategy().name(),
                    p == null
                            ? "-"
                            : String.format(
                                    Locale.ROOT, "%.0f", p.steps() / r.settings().localSteps()),
                    p == null ? "-" : Long.toString(p.consensusMessages()),
                    p == null ? "not reached" : FdaBenchReport.megabytes(p.consensusBytes()),
                    Double.isNaN(saved) ? "-" : String.format(Locale.ROOT, "%.1fx", saved),
                    p == null ? "-" : FdaBenchReport.megabytes(p.bytes()),
                    row.outcome().finalAccuracy(),
                    row.consensusRoundsPerServer());
        }
        out.printf(
                Locale.ROOT,
                "(rounds, consensus messages and bytes until the servers' mean accuracy first"
                        + " reaches the target; 'fewer' = Always's consensus bytes / these;"
                        + " 'gossiped' = rounds with a consensus, of %d)%n%.1f s%n",
                r.settings().rounds(),
                r.seconds());
    }

    public static void writeJson(ServerTierBenchmark.Result r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(r.settings()));
        root.put("centralisedAccuracy", r.centralisedAccuracy());
        root.put("targetAccuracy", r.target());
        root.put("seconds", r.seconds());
        ArrayNode rows = root.putArray("runs");
        for (ServerTierBenchmark.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.set("scenario", mapper.valueToTree(row.scenario()));
            n.put("clients", row.clientTier());
            n.put("servers", row.strategy().name());
            n.set("serverSync", mapper.valueToTree(row.strategy().params()));
            FdaRun.Point p = row.outcome().first(r.target());
            n.set("toTarget", p == null ? null : mapper.valueToTree(p));
            n.put("consensusBytesFewerThanAlways", savings(r, row));
            n.put("finalAccuracy", row.outcome().finalAccuracy());
            n.put("consensusRoundsPerServer", row.consensusRoundsPerServer());
            n.put("consensusBytes", row.outcome().wire().consensus().bytes);
            n.put("consensusMessages", row.outcome().wire().consensus().messages);
            n.set("trace", mapper.valueToTree(FdaBenchReport.thinned(row.outcome().trace(), p)));
        }
        mapper.writeValue(file.toFile(), root);
    }

    /** One plot per scenario and client tier: accuracy against consensus bytes (log x). */
    public static List<Path> writePlots(ServerTierBenchmark.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (FdaBenchmark.Scenario sc :
                r.rows().stream().map(ServerTierBenchmark.Row::scenario).distinct().toList()) {
            for (String tier :
                    r.rows().stream()
                            .map(ServerTierBenchmark.Row::clientTier)
                            .distinct()
                            .toList()) {
                LinePlot plot =
                        new LinePlot(
                                        "Server-tier FDA on digits, "
                                                + sc.name()
                                                + ", clients: "
                                                + tier,
                                        "consensus bytes sent (log)",
                                        "mean held-out accuracy of the servers",
                                        true,
                                        false)
                                .withYMin(Math.floor((r.target() - 0.15) * 20) / 20);
                for (ServerTierBenchmark.Row row : r.rows()) {
                    if (!row.scenario().equals(sc) || !row.clientTier().equals(tier)) {
                        continue;
                    }
                    List<FdaRun.Point> trace = new ArrayList<>();
                    for (FdaRun.Point p : row.outcome().trace()) {
                        if (p.consensusBytes() > 0) { // log x: from the first consensus on
                            trace.add(p);
                        }
                    }
                    double[] x = new double[trace.size()];
                    double[] y = new double[trace.size()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = trace.get(i).consensusBytes();
                        y[i] = trace.get(i).accuracy();
                    }
                    plot.add(row.strategy().name(), x, y);
                }
                Path file =
                        dir.resolve(
                                "fda-server-"
                                        + sc.name()
                                        + (tier.equals("DFL") ? "-dfl" : "-fda")
                                        + ".png");
                plot.write(file);
                files.add(file);
            }
        }
        return files;
    }
}
