package io.dflink.tools.demo;

import io.dflink.operators.core.math.Vec;
import io.dflink.tools.report.LinePlot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Presents a {@link DemoResult}: the final table, the JSON report and the convergence plot. */
public final class DemoReport {

    private DemoReport() {}

    public static void printTable(DemoResult r, PrintStream out) {
        Map<String, double[]> last = r.finalModels();
        double[] mean = r.mean(last);
        out.printf(
                "%n%d rounds in %.1f s (%.2f rounds/s; %.1f s with start-up); w* = %s,"
                        + " pooled least squares = %s%n",
                r.settings().rounds(),
                r.roundSeconds(),
                r.roundsPerSecond(),
                r.wallSeconds(),
                Arrays.toString(r.trueModel()),
                format(r.leastSquares()));
        out.printf(
                "%-6s %-26s %12s %12s %12s %9s %11s%n",
                "server", "model", "|w - w*|", "|w - w_LS|", "consensus", "messages", "bytes");
        for (Map.Entry<String, double[]> e : last.entrySet()) {
            long[] sent = r.sentByServer().getOrDefault(e.getKey(), new long[2]);
            out.printf(
                    "%-6s %-26s %12.3e %12.3e %12.3e %9d %11d%n",
                    e.getKey(),
                    format(e.getValue()),
                    Vec.distance(e.getValue(), r.trueModel()),
                    Vec.distance(e.getValue(), r.leastSquares()),
                    Vec.distance(e.getValue(), mean),
                    sent[0],
                    sent[1]);
        }
        out.printf(
                "consensus step latency: p50 %.2f ms, p95 %.2f ms over %d steps%n",
                r.stepMillisQuantile(0.5), r.stepMillisQuantile(0.95), r.stepMillis().size());
        out.printf("servers' accounting (metrics topic):");
        r.communication()
                .forEach(
                        (kind, t) ->
                                out.printf(
                                        " %s %d msgs %.2f MB;", kind, t.messages, t.bytes / 1e6));
        out.println();
        out.printf(
                "dead letters: %s%n",
                r.deadLettersByReason().isEmpty() ? "none" : r.deadLettersByReason());
    }

    public static void writeJson(DemoResult r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("rounds", r.settings().rounds());
        root.put("wallSeconds", r.wallSeconds());
        root.put("roundSeconds", r.roundSeconds());
        root.put("roundsPerSecond", r.roundsPerSecond());
        root.set("settings", mapper.valueToTree(r.settings()));
        root.set("trueModel", mapper.valueToTree(r.trueModel()));
        root.set("leastSquaresOptimum", mapper.valueToTree(r.leastSquares()));
        Map<String, double[]> last = r.finalModels();
        double[] mean = r.mean(last);
        ObjectNode servers = root.putObject("servers");
        for (Map.Entry<String, double[]> e : last.entrySet()) {
            ObjectNode s = servers.putObject(e.getKey());
            s.set("model", mapper.valueToTree(e.getValue()));
            s.put("distanceToOptimum", Vec.distance(e.getValue(), r.trueModel()));
            s.put("distanceToLeastSquares", Vec.distance(e.getValue(), r.leastSquares()));
            s.put("consensusError", Vec.distance(e.getValue(), mean));
            long[] sent = r.sentByServer().getOrDefault(e.getKey(), new long[2]);
            s.put("messagesSent", sent[0]);
            s.put("bytesSent", sent[1]);
        }
        root.put("maxConsensusError", r.consensusError(last));
        ObjectNode latency = root.putObject("consensusStepMillis");
        latency.put("p50", r.stepMillisQuantile(0.5));
        latency.put("p95", r.stepMillisQuantile(0.95));
        latency.put("count", r.stepMillis().size());
        ObjectNode messages = root.putObject("messages");
        ObjectNode bytes = root.putObject("bytes");
        r.perTopic()
                .forEach(
                        (topic, c) -> {
                            messages.put(topic, c[0]);
                            bytes.put(topic, c[1]);
                        });
        ObjectNode communication = root.putObject("communication");
        r.communication()
                .forEach(
                        (kind, t) -> {
                            ObjectNode n = communication.putObject(kind);
                            n.put("messages", t.messages);
                            n.put("bytes", t.bytes);
                        });
        root.set("deadLetters", mapper.valueToTree(r.deadLettersByReason()));
        mapper.writeValue(file.toFile(), root);
    }

    /** Distance to w* per server and the consensus error, over rounds, on a log scale. */
    public static void writePlot(DemoResult r, Path file) throws IOException {
        List<Map<String, double[]>> rounds = r.modelsByRound();
        double[] x = new double[rounds.size()];
        double[] spread = new double[rounds.size()];
        for (int k = 0; k < x.length; k++) {
            x[k] = k;
            spread[k] = r.consensusError(rounds.get(k));
        }
        LinePlot plot =
                new LinePlot(
                        "DFL convergence (" + r.settings().servers() + " servers, ring)",
                        "round",
                        "distance (log scale)",
                        true);
        for (String server : r.finalModels().keySet()) {
            double[] y = new double[rounds.size()];
            for (int k = 0; k < y.length; k++) {
                double[] w = rounds.get(k).get(server);
                y[k] = w == null ? Double.NaN : Vec.distance(w, r.trueModel());
            }
            plot.add(server + " |w - w*|", x, y);
        }
        plot.add("consensus error", x, spread);
        plot.write(file);
    }

    private static String format(double[] v) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ", ").append(String.format("%.6f", v[i]));
        }
        return b.append(')').toString();
    }
}
