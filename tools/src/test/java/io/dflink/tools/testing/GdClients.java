package io.dflink.tools.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Outside clients in plain Java: seeded linear-regression data per client, LOCAL_STEPS of
 * full-batch gradient descent, and the JSON {@code model} update an outside client would write.
 * None of dflink's code, so tests built on it check the public contract.
 */
public final class GdClients {

    public static final int LOCAL_STEPS = 20;
    public static final double GAMMA = 0.05;

    private GdClients() {}

    /** Rows (x, y) of y = 5x + 2 + noise for every client "s{i}-c{j}", keyed by server. */
    public static Map<String, List<double[][]>> data(int servers, int clients, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, List<double[][]>> data = new HashMap<>();
        for (int i = 0; i < servers; i++) {
            List<double[][]> perClient = new ArrayList<>();
            for (int j = 0; j < clients; j++) {
                int n = 10 * (1 + (i + j) % 3);
                double lo = -1 + 1.5 * rnd.nextDouble();
                double[][] rows = new double[n][];
                for (int k = 0; k < n; k++) {
                    double x = lo + 1.5 * rnd.nextDouble();
                    rows[k] = new double[] {x, 5 * x + 2 + 0.1 * (rnd.nextDouble() - 0.5)};
                }
                perClient.add(rows);
            }
            data.put("s" + i, perClient);
        }
        return data;
    }

    /** LOCAL_STEPS of full-batch GD on (1/2n) sum (a x + b - y)^2 from w = (a, b). */
    public static double[] gd(double[][] rows, double[] start) {
        double a = start[0];
        double b = start[1];
        for (int t = 0; t < LOCAL_STEPS; t++) {
            double ga = 0;
            double gb = 0;
            for (double[] r : rows) {
                double e = a * r[0] + b - r[1];
                ga += e * r[0];
                gb += e;
            }
            a -= GAMMA * ga / rows.length;
            b -= GAMMA * gb / rows.length;
        }
        return new double[] {a, b};
    }

    /** Client j of {@code server}'s model update for {@code round}, as JSON text. */
    public static String updateJson(String server, int j, long round, int weight, double[] vector) {
        return String.format(
                Locale.ROOT,
                "{\"type\":\"model\",\"clientId\":\"%s-c%d\",\"serverId\":\"%s\",\"round\":%d,"
                        + "\"weight\":%d,\"vector\":%s}",
                server,
                j,
                server,
                round,
                weight,
                OutsideClient.array(vector));
    }
}
