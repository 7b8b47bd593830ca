package io.dflink.tools.bench;

import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.tools.report.LinePlot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The TAD-LoRA sweep's table, the papers' claims checked on it, JSON report and plots. */
public final class LoraBenchReport {

    private LoraBenchReport() {}

    public static void printTable(LoraBenchmark.Result r, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "final mean held-out accuracy over %d peers, mean ± std over %d seeds; ||C|| ="
                        + " cross term over the last 10%% of rounds; MB = floats sent x 4 B (frozen"
                        + " base alone: %.4f)%n",
                r.settings().peers(),
                r.settings().seeds().size(),
                r.baseAccuracy());
        out.printf(
                "%-6s %-18s %3s %18s %11s %9s%n", "p", "variant", "T", "accuracy", "||C||", "MB");
        for (LoraBenchmark.Cell c : r.cells()) {
            out.printf(
                    Locale.ROOT,
                    "%-6s %-18s %3s %9.4f ± %.4f %11.3e %9.2f%n",
                    c.p(),
                    c.variant(),
                    applies(c.variant()) ? String.valueOf(c.interval()) : "-",
                    c.meanAccuracy(),
                    c.stdAccuracy(),
                    c.lateCrossTerm(),
                    c.floatsSent() * 4 / 1e6);
        }
        for (String claim : claims(r)) {
            out.println(claim);
        }
        out.printf(Locale.ROOT, "%.1f s%n", r.seconds());
    }

    private static boolean applies(LoraVariant v) {
        return v == LoraVariant.TAD_LORA || v == LoraVariant.TAD_LORA_NO_JOINT;
    }

    /** The variant's best cell at p (over T). */
    static LoraBenchmark.Cell best(LoraBenchmark.Result r, LoraVariant v, double p) {
        return r.cells().stream()
                .filter(c -> c.variant() == v && c.p() == p)
                .max(Comparator.comparingDouble(LoraBenchmark.Cell::meanAccuracy))
                .orElse(null);
    }

    /** The three claims the benchmark tests, answered from the data. */
    public static List<String> claims(LoraBenchmark.Result r) {
        List<String> out = new ArrayList<>();
        List<Double> ps = r.settings().probabilities();
        double lowest = ps.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        LoraBenchmark.Cell tad = best(r, LoraVariant.TAD_LORA, lowest);
        LoraBenchmark.Cell lora = best(r, LoraVariant.LORA, lowest);
        out.add(
                String.format(
                        Locale.ROOT,
                        "claim 1, TAD-LoRA >= LoRA at p = %s: %s (TAD-LoRA T=%d %.4f ± %.4f vs LoRA"
                                + " %.4f ± %.4f)",
                        lowest,
                        tad.meanAccuracy() >= lora.meanAccuracy() ? "holds" : "does NOT hold",
                        tad.interval(),
                        tad.meanAccuracy(),
                        tad.stdAccuracy(),
                        lora.meanAccuracy(),
                        lora.stdAccuracy()));
        StringBuilder cross = new StringBuilder();
        boolean lower = true;
        for (int t : r.settings().intervals()) {
            LoraBenchmark.Cell j = cell(r, LoraVariant.TAD_LORA, lowest, t);
            LoraBenchmark.Cell n = cell(r, LoraVariant.TAD_LORA_NO_JOINT, lowest, t);
            lower &= j.lateCrossTerm() < n.lateCrossTerm();
            cross.append(
                    String.format(
                            Locale.ROOT,
                            " T=%d %.2e vs %.2e;",
                            t,
                            j.lateCrossTerm(),
                            n.lateCrossTerm()));
        }
        out.add(
                "claim 2, joint mixing keeps ||C|| below no-joint at p = "
                        + lowest
                        + ": "
                        + (lower ? "holds" : "does NOT hold at every T")
                        + " (joint vs no-joint:"
                        + cross
                        + ")");
        StringBuilder bestT = new StringBuilder();
        List<Double> descending = new ArrayList<>(ps);
        descending.sort(Comparator.reverseOrder());
        int previous = 0;
        int first = -1;
        boolean monotone = true;
        for (double p : descending) {
            int t = best(r, LoraVariant.TAD_LORA, p).interval();
            monotone &= t >= previous;
            first = first < 0 ? t : first;
            previous = t;
            bestT.append(String.format(Locale.ROOT, " p=%s: T=%d;", p, t));
        }
        int largest = r.settings().intervals().stream().mapToInt(Integer::intValue).max().orElse(0);
        String verdict =
                !monotone
                        ? "does NOT hold"
                        : previous > first
                                ? "holds"
                                : previous == largest
                                        ? "not shown: the grid's largest T is best at every p"
                                        : "not shown: the same T is best at every p";
        out.add(
                "claim 3, the best T grows as p falls: "
                        + verdict
                        + " ("
                        + bestT.toString().trim()
                        + ")");
        return out;
    }

    private static LoraBenchmark.Cell cell(LoraBenchmark.Result r, LoraVariant v, double p, int t) {
        return r.cells().stream()
                .filter(c -> c.variant() == v && c.p() == p && c.interval() == t)
                .findFirst()
                .orElseThrow();
    }

    public static void writeJson(LoraBenchmark.Result r, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.set("settings", mapper.valueToTree(r.settings()));
        root.put("baseAccuracy", r.baseAccuracy());
        root.put("seconds", r.seconds());
        root.set("claims", mapper.valueToTree(claims(r)));
        ArrayNode cells = root.putArray("cells");
        for (LoraBenchmark.Cell c : r.cells()) {
            ObjectNode n = cells.addObject();
            n.put("variant", c.variant().name());
            n.put("p", c.p());
            n.put("interval", c.interval());
            n.put("accuracyMean", c.meanAccuracy());
            n.put("accuracyStd", c.stdAccuracy());
            n.put("lateCrossTerm", c.lateCrossTerm());
            n.put("floatsSent", c.floatsSent());
            ArrayNode seeds = n.putArray("seeds");
            for (LoraRun.Trace t : c.traces()) {
                ObjectNode s = seeds.addObject();
                s.put("finalAccuracy", t.finalAccuracy());
                s.set("accuracy", mapper.valueToTree(t.accuracy()));
                s.set("crossTerm", mapper.valueToTree(t.crossTerm()));
                s.set("disagreementA", mapper.valueToTree(t.disagreementA()));
                s.set("disagreementB", mapper.valueToTree(t.disagreementB()));
            }
        }
        mapper.writeValue(file.toFile(), root);
    }

    /** Accuracy vs p per variant (alternating ones at their best T); ||C_t|| joint vs no-joint. */
    public static List<Path> writePlots(LoraBenchmark.Result r, Path dir) throws IOException {
        List<Double> ps = new ArrayList<>(r.settings().probabilities());
        ps.sort(Comparator.naturalOrder());
        LinePlot accuracy =
                new LinePlot(
                        "Decentralised LoRA on digits: accuracy vs link probability",
                        "p (log)",
                        "final mean held-out accuracy",
                        true,
                        false);
        for (LoraVariant v : LoraVariant.values()) {
            double[] x = new double[ps.size()];
            double[] y = new double[ps.size()];
            for (int k = 0; k < ps.size(); k++) {
                x[k] = ps.get(k);
                y[k] = best(r, v, ps.get(k)).meanAccuracy();
            }
            accuracy.add(v.name(), x, y);
        }
        Path a = dir.resolve("lora-accuracy-vs-p.png");
        accuracy.write(a);
        double lowest = ps.get(0);
        LinePlot cross =
                new LinePlot(
                        "Cross term ||C_t||_F at p = " + lowest + ", mean over seeds",
                        "round",
                        "||C_t||_F",
                        true);
        for (int t : r.settings().intervals()) {
            for (LoraVariant v : List.of(LoraVariant.TAD_LORA, LoraVariant.TAD_LORA_NO_JOINT)) {
                LoraBenchmark.Cell c = cell(r, v, lowest, t);
                int rounds = c.traces().get(0).crossTerm().length;
                double[] x = new double[rounds];
                double[] y = new double[rounds];
                for (int k = 0; k < rounds; k++) {
                    x[k] = k + 1;
                    for (LoraRun.Trace tr : c.traces()) {
                        y[k] += tr.crossTerm()[k] / c.traces().size();
                    }
                }
                cross.add((v == LoraVariant.TAD_LORA ? "joint" : "no-joint") + " T=" + t, x, y);
            }
        }
        Path c = dir.resolve("lora-cross-term.png");
        cross.write(c);
        return List.of(a, c);
    }
}
