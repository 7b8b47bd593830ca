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

/** The LT-ADMM benchmark's table, JSON report and gap-vs-rounds plots. */
public final class AdmmBenchReport {

    private AdmmBenchReport() {}

    public static void printTable(AdmmBenchmark.Result r, PrintStream out) {
        AdmmBenchmark.Settings s = r.settings();
        out.printf(
                Locale.ROOT,
                "relative objective gap (F(xbar) - F*) / F*, F* = %.10f; target %.0e; %d servers,"
                        + " edges %s; one communication round = one message per directed edge%n",
                r.optimum(),
                s.targetGap(),
                s.servers(),
                r.edges());
        out.printf(
                "%-7s %-12s %4s %14s %12s %14s %14s%n",
                "graph",
                "method",
                "tau",
                "rounds to tgt",
                "final gap",
                "max agent gap",
                "gap @ " + s.rounds() / 10);
        for (AdmmBenchmark.Run run : r.runs()) {
            int to = run.roundsTo(s.targetGap());
            out.printf(
                    Locale.ROOT,
                    "%-7s %-12s %4d %14s %12.3e %14.3e %14.3e%n",
                    run.graph(),
                    run.method(),
                    run.tau(),
                    to < 0 ? "not reached" : String.valueOf(to),
                    run.finalGap(),
                    run.finalMaxGap(),
                    run.gaps()[Math.max(0, s.rounds() / 10 - 1)]);
        }
        out.printf(Locale.ROOT, "%.1f s%n", r.seconds());
    }

    public static void writeJson(AdmmBenchmark.Result r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(r.settings()));
        root.put("optimumObjective", r.optimum());
        root.put("newtonIterations", r.newtonIterations());
        root.set("edges", mapper.valueToTree(r.edges()));
        root.put("seconds", r.seconds());
        ArrayNode runs = root.putArray("runs");
        for (AdmmBenchmark.Run run : r.runs()) {
            ObjectNode n = runs.addObject();
            n.put("graph", run.graph());
            n.put("method", run.method());
            n.put("tau", run.tau());
            n.put("roundsToTarget", run.roundsTo(r.settings().targetGap()));
            n.put("finalGap", run.finalGap());
            n.put("finalMaxAgentGap", run.finalMaxGap());
            n.set("gapPerRound", mapper.valueToTree(run.gaps()));
        }
        mapper.writeValue(file.toFile(), root);
    }

    /**
     * Per graph: every method at the largest tau, and LT-ADMM-VR2 at every tau (gap vs rounds, log
     * y). Returns the files written.
     */
    public static List<Path> writePlots(AdmmBenchmark.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> taus = r.settings().taus();
        int maxTau = taus.stream().mapToInt(Integer::intValue).max().orElse(1);
        for (String graph : r.edges().keySet()) {
            LinePlot methods =
                    new LinePlot(
                            "LT-ADMM on digits, " + graph + ", tau = " + maxTau,
                            "communication rounds",
                            "relative objective gap",
                            true);
            LinePlot byTau =
                    new LinePlot(
                            "LT-ADMM-VR2 on digits, " + graph + ": more local steps",
                            "communication rounds",
                            "relative objective gap",
                            true);
            for (AdmmBenchmark.Run run : r.runs()) {
                if (!run.graph().equals(graph)) {
                    continue;
                }
                double[] x = new double[run.gaps().length];
                for (int k = 0; k < x.length; k++) {
                    x[k] = k + 1;
                }
                if (run.tau() == maxTau) {
                    methods.add(run.method(), x, run.gaps());
                }
                if (run.method().equals("LT-ADMM-VR2")) {
                    byTau.add("tau = " + run.tau(), x, run.gaps());
                }
            }
            Path m = dir.resolve("admm-" + graph + "-methods.png");
            methods.write(m);
            Path t = dir.resolve("admm-" + graph + "-tau.png");
            byTau.write(t);
            files.add(m);
            files.add(t);
        }
        return files;
    }
}
