package io.dflink.tools.bench;

import io.dflink.records.Traffic;
import io.dflink.tools.report.LinePlot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The FDA benchmark's table, JSON report and accuracy-vs-bytes plots. */
public final class FdaBenchReport {

    private FdaBenchReport() {}

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    /** The Synchronous row of {@code row}'s scenario, to compare bytes with. */
    private static FdaBenchmark.Row synchronous(
            FdaBenchmark.Result r, FdaBenchmark.Scenario scenario) {
        for (FdaBenchmark.Row row : r.rows()) {
            if (row.scenario().equals(scenario) && row.strategy().name().equals("Synchronous")) {
                return row;
            }
        }
        return null;
    }

    /** Wire bytes-to-target relative to Synchronous's, or NaN when either misses the target. */
    public static double savings(FdaBenchmark.Result r, FdaBenchmark.Row row) {
        return ratio(r, row, FdaRun.Point::bytes);
    }

    /** As {@link #savings}, in the FDA authors' cost model. */
    public static double paperSavings(FdaBenchmark.Result r, FdaBenchmark.Row row) {
        return ratio(r, row, FdaRun.Point::paperBytes);
    }

    private static double ratio(
            FdaBenchmark.Result r,
            FdaBenchmark.Row row,
            java.util.function.ToLongFunction<FdaRun.Point> bytes) {
        FdaBenchmark.Row sync = synchronous(r, row.scenario());
        if (sync == null) {
            return Double.NaN;
        }
        FdaRun.Point mine = row.outcome().first(r.target());
        FdaRun.Point theirs = sync.outcome().first(r.target());
        return mine == null || theirs == null
                ? Double.NaN
                : (double) bytes.applyAsLong(theirs) / bytes.applyAsLong(mine);
    }

    private static String times(double x) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.1fx", x);
    }

    public static void printTable(FdaBenchmark.Result r, PrintStream out) {
        out.println(
                "steps, syncs (per server) and bytes until the servers' mean held-out accuracy first"
                        + " reaches the target; wire = encoded JSON as sent (server -> client"
                        + " counted per client), paper = the FDA authors' cost model (4 B per"
                        + " float, decisions free)");
        out.printf(
                Locale.ROOT,
                "target held-out accuracy %.3f (%.0f%% of the centralised model's %.4f)%n",
                r.target(),
                100 * r.settings().targetFraction(),
                r.centralisedAccuracy());
        out.printf(
                "%-10s %-22s %7s %7s %12s %8s %12s %8s %9s %11s %11s%n",
                "scenario",
                "strategy",
                "steps",
                "syncs",
                "wire",
                "vs sync",
                "paper",
                "vs sync",
                "final acc",
                "total wire",
                "monitoring");
        for (FdaBenchmark.Row row : r.rows()) {
            FdaRun.Point p = row.outcome().first(r.target());
            out.printf(
                    Locale.ROOT,
                    "%-10s %-22s %7s %7s %12s %8s %12s %8s %9.4f %11s %11s%n",
                    row.scenario().name(),
                    row.strategy().name(),
                    p == null ? "-" : String.format(Locale.ROOT, "%.0f", p.steps()),
                    p == null ? "-" : String.format(Locale.ROOT, "%.1f", p.syncsPerServer()),
                    p == null ? "not reached" : megabytes(p.bytes()),
                    times(savings(r, row)),
                    p == null ? "-" : megabytes(p.paperBytes()),
                    times(paperSavings(r, row)),
                    row.outcome().finalAccuracy(),
                    megabytes(row.outcome().wire().bytes()),
                    megabytes(row.outcome().wire().monitoringUp().bytes));
        }
        out.printf(Locale.ROOT, "%.1f s%n", r.seconds());
    }

    public static void writeJson(FdaBenchmark.Result r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(r.settings()));
        root.put("centralisedAccuracy", r.centralisedAccuracy());
        root.put("targetAccuracy", r.target());
        root.put("seconds", r.seconds());
        ArrayNode rows = root.putArray("runs");
        for (FdaBenchmark.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.set("scenario", mapper.valueToTree(row.scenario()));
            n.put("strategy", row.strategy().name());
            n.put("traceNote", "points 5% apart in bytes, plus first, last and to-target");
            n.set("fda", mapper.valueToTree(row.strategy().fda()));
            FdaRun.Point p = row.outcome().first(r.target());
            n.set("toTarget", p == null ? null : mapper.valueToTree(p));
            n.put("bytesSavedVsSynchronous", savings(r, row));
            n.put("paperBytesSavedVsSynchronous", paperSavings(r, row));
            n.put("finalAccuracy", row.outcome().finalAccuracy());
            ObjectNode wire = n.putObject("communication");
            Federation.Wire w = row.outcome().wire();
            traffic(wire, "monitoringUp", w.monitoringUp());
            traffic(wire, "modelUp", w.modelUp());
            traffic(wire, "modelDown", w.modelDown());
            traffic(wire, "control", w.control());
            traffic(wire, "consensus", w.consensus());
            n.set("trace", mapper.valueToTree(thinned(row.outcome().trace(), p)));
        }
        mapper.writeValue(file.toFile(), root);
    }

    private static boolean plotted(FdaBenchmark.Row row, double middleThreshold) {
        var fda = row.strategy().fda();
        switch (fda.variant()) {
            case SYNCHRONOUS:
            case LINEAR:
                return true;
            case PERIODIC:
                return fda.period() > 1;
            default:
                return fda.threshold() == middleThreshold;
        }
    }

    /**
     * The trace with points 5% apart in bytes (log-spaced), plus the first, the last and the
     * to-target point: Synchronous evaluates at every step, which would make the report tens of MB.
     */
    static List<FdaRun.Point> thinned(List<FdaRun.Point> trace, FdaRun.Point toTarget) {
        List<FdaRun.Point> kept = new java.util.ArrayList<>();
        for (int i = 0; i < trace.size(); i++) {
            FdaRun.Point p = trace.get(i);
            boolean keep =
                    kept.isEmpty()
                            || i == trace.size() - 1
                            || p == toTarget
                            || p.bytes() >= 1.05 * kept.get(kept.size() - 1).bytes();
            if (keep) {
                kept.add(p);
            }
        }
        return kept;
    }

    private static void traffic(ObjectNode parent, String kind, Traffic t) {
        ObjectNode n = parent.putObject(kind);
        n.put("messages", t.messages);
        n.put("bytes", t.bytes);
    }

    /**
     * One accuracy-vs-bytes plot per scenario (log x, accuracy from 0.15 below the target); returns
     * the files written. Plotted: Synchronous, the periods other than 1 (identical to Synchronous),
     * Linear at every threshold, Naive and Sketch at the middle threshold.
     */
    public static List<Path> writePlots(FdaBenchmark.Result r, Path dir) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        List<Double> thresholds = r.settings().thresholds();
        double middle = thresholds.isEmpty() ? 0 : thresholds.get((thresholds.size() - 1) / 2);
        for (FdaBenchmark.Scenario sc :
                r.rows().stream().map(FdaBenchmark.Row::scenario).distinct().toList()) {
            LinePlot plot =
                    new LinePlot(
                                    "FDA on digits, "
                                            + sc.name()
                                            + ": held-out accuracy vs bytes sent",
                                    "bytes sent (log)",
                                    "mean held-out accuracy of the servers",
                                    true,
                                    false)
                            .withYMin(Math.floor((r.target() - 0.15) * 20) / 20);
            for (FdaBenchmark.Row row : r.rows()) {
                if (!row.scenario().equals(sc) || !plotted(row, middle)) {
                    continue;
                }
                List<FdaRun.Point> trace = row.outcome().trace();
                double[] x = new double[trace.size()];
                double[] y = new double[trace.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = trace.get(i).bytes();
                    y[i] = trace.get(i).accuracy();
                }
                plot.add(row.strategy().name(), x, y);
            }
            Path file = dir.resolve("fda-" + sc.name() + ".png");
            plot.write(file);
            files.add(file);
        }
        return files;
    }
}
