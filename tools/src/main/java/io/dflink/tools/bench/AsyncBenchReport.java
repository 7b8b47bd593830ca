package io.dflink.tools.bench;

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

/** The asynchronous benchmark's table, JSON report and accuracy-vs-time and -vs-bytes plots. */
public final class AsyncBenchReport {

    private AsyncBenchReport() {}

    /** A row per variant: time and bytes to the target, speed-up over sync, final accuracy. */
    public static void printTable(AsyncBenchmark.Result r, PrintStream out) {
        AsyncBenchmark.Settings s = r.settings();
        double syncSeconds = r.rows().get(0).secondsTo(s.target());
        out.printf(
                Locale.ROOT,
                "%d servers x %d label-skewed devices, log-normal step times (median %.0f ms per"
                        + " training, sigma %.2f); device time to %.0f%% mean held-out accuracy,"
                        + " mean over the seeds that reached it (of %d)%n",
                s.servers(),
                s.devicesPerServer(),
                s.medianTrainingMillis(),
                s.speedSpread(),
                100 * s.target(),
                s.seeds());
        out.printf(
                Locale.ROOT,
                "%-28s %8s %10s %10s %9s %10s %9s%n",
                "client phase",
                "reached",
                "time (s)",
                "speed-up",
                "MB",
                "accuracy",
                "rejected");
        for (AsyncBenchmark.Row row : r.rows()) {
            double t = row.secondsTo(s.target());
            out.printf(
                    Locale.ROOT,
                    "%-28s %8s %10.1f %9.2fx %9.1f %10.4f %9d%n",
                    row.variant().name(),
                    row.reached(s.target()) + "/" + s.seeds(),
                    t,
                    syncSeconds / t,
                    row.bytesTo(s.target()) / 1e6,
                    row.finalAccuracy(),
                    row.rejected());
        }
        out.printf(
                Locale.ROOT,
                "accuracy: at the horizon (%.0f s of device time); rejected: dead-lettered updates"
                        + " (late rounds, too stale) in all seeds; %.1f s%n",
                s.horizonSeconds(),
                r.seconds());
    }

    public static void writeJson(AsyncBenchmark.Result r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(r.settings()));
        root.put("seconds", r.seconds());
        ArrayNode rows = root.putArray("variants");
        for (AsyncBenchmark.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.put("name", row.variant().name());
            n.put("async", row.variant().async());
            n.put("secondsToTarget", row.secondsTo(r.settings().target()));
            n.put("bytesToTarget", row.bytesTo(r.settings().target()));
            n.put("seedsReachingTarget", row.reached(r.settings().target()));
            n.put("finalAccuracy", row.finalAccuracy());
            n.put("rejected", row.rejected());
            ArrayNode curves = n.putArray("curves");
            for (AsyncBenchmark.Curve c : row.curves()) {
                ObjectNode cn = curves.addObject();
                cn.set("seconds", mapper.valueToTree(c.seconds()));
                cn.set("bytes", mapper.valueToTree(c.bytes()));
                cn.set("accuracy", mapper.valueToTree(c.accuracy()));
            }
        }
        mapper.writeValue(file.toFile(), root);
    }

    /** async-time.png and async-bytes.png: seed 1's accuracy curve per variant. */
    public static List<Path> writePlots(AsyncBenchmark.Result r, Path dir) throws IOException {
        LinePlot time =
                new LinePlot(
                                "digits: accuracy vs device time",
                                "simulated device time (s)",
                                "mean held-out accuracy",
                                false)
                        .withYMin(0);
        LinePlot bytes =
                new LinePlot(
                                "digits: accuracy vs bytes",
                                "bytes sent (MB)",
                                "mean held-out accuracy",
                                false)
                        .withYMin(0);
        for (AsyncBenchmark.Row row : r.rows()) {
            AsyncBenchmark.Curve c = row.curves().get(0);
            double[] mb = new double[c.bytes().length];
            for (int i = 0; i < mb.length; i++) {
                mb[i] = c.bytes()[i] / 1e6;
            }
            time.add(row.variant().name(), c.seconds(), c.accuracy());
            bytes.add(row.variant().name(), mb, c.accuracy());
        }
        Path t = dir.resolve("async-time.png");
        Path b = dir.resolve("async-bytes.png");
        time.write(t);
        bytes.write(b);
        return List.of(t, b);
    }
}
