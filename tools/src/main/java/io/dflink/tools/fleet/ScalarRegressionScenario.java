package io.dflink.tools.fleet;

import io.dflink.clients.LocalDataset;
import io.dflink.operators.core.math.Linalg;
import io.dflink.settings.Require;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The DFL paper's experiment (docs/algorithms.md §1e): scalar linear regression {@code y = 5x + 2 +
 * noise}, model w = (slope, intercept), each client with its own x-range {@code x ~ U[lo, lo+1.5]},
 * {@code lo ~ U[-1, 0.5]}. Every client's data is a function of (seed, server index, client index)
 * only, so fleets in different processes generate the same data.
 */
public record ScalarRegressionScenario(
        long seed, int servers, int clientsPerServer, int samplesPerClient, double noise) {

    public ScalarRegressionScenario {
        Require.atLeast("servers", servers, 1);
        Require.atLeast("clients-per-server", clientsPerServer, 1);
        Require.atLeast("samples-per-client", samplesPerClient, 1);
        Require.nonNegative("noise", noise);
    }

    /** The generating model w* = (5, 2). */
    public static final double[] TRUE_MODEL = {5.0, 2.0};

    public static ScalarRegressionScenario paperDefaults(long seed, int servers, int clients) {
        return new ScalarRegressionScenario(seed, servers, clients, 50, 0.1);
    }

    public static String serverId(int s) {
        return "s" + s;
    }

    public static String clientId(int s, int c) {
        return "s" + s + "-c" + c;
    }

    public List<String> serverIds() {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            ids.add(serverId(s));
        }
        return ids;
    }

    /** Client c of server s's local data set. */
    public LocalDataset dataset(int s, int c) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, s, c));
        double lo = -1 + 1.5 * rnd.nextDouble();
        double[][] x = new double[samplesPerClient][];
        double[] y = new double[samplesPerClient];
        for (int k = 0; k < samplesPerClient; k++) {
            double xi = lo + 1.5 * rnd.nextDouble();
            x[k] = new double[] {xi, 1.0};
            y[k] = TRUE_MODEL[0] * xi + TRUE_MODEL[1] + noise * gaussian(rnd);
        }
        return new LocalDataset(x, y);
    }

    /** The least-squares optimum of all clients' data pooled: what exact averaging would reach. */
    public double[] pooledLeastSquares() {
        int n = servers * clientsPerServer * samplesPerClient;
        double[][] x = new double[n][];
        double[] y = new double[n];
        int k = 0;
        for (int s = 0; s < servers; s++) {
            for (int c = 0; c < clientsPerServer; c++) {
                LocalDataset d = dataset(s, c);
                for (int i = 0; i < d.size(); i++, k++) {
                    x[k] = d.features()[i];
                    y[k] = d.targets()[i];
                }
            }
        }
        return Linalg.leastSquares(x, y);
    }

    private static long mix(long seed, int s, int c) {
        long h = seed * 0x9E3779B97F4A7C15L + s;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + c;
        return h ^ (h >>> 29);
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller: one normal deviate from two uniforms, reproducible across JVMs
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
