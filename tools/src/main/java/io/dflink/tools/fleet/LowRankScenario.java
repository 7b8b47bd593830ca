package io.dflink.tools.fleet;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LoraLinearTrainer;
import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.settings.Require;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decentralised LoRA's synthetic task with a known optimum: a frozen linear layer W0 (rows x cols)
 * that misses a rank-{@code rank} correction dW* = U V; every device holds samples y = (W0 + dW*) x
 * + noise with x ~ N(mu_c, I), its own mean mu_c (heterogeneous devices), and trains a LoRA adapter
 * on W0 by least squares. An adapter is right when (alpha / r) B A = dW*: {@link #relativeError}
 * measures the distance. Everything is a function of the seed and the device's (server, client)
 * index, so fleets in different processes generate the same data.
 */
public record LowRankScenario(
        long seed,
        int servers,
        int clientsPerServer,
        int samplesPerClient,
        int rows,
        int cols,
        int rank,
        double noise) {

    public LowRankScenario {
        Require.atLeast("servers", servers, 1);
        Require.atLeast("clients-per-server", clientsPerServer, 1);
        Require.atLeast("samples-per-client", samplesPerClient, 1);
        Require.atLeast("rows", rows, 1);
        Require.atLeast("cols", cols, 1);
        Require.atLeast("rank", rank, 1);
        Require.nonNegative("noise", noise);
    }

    /** 8 x 16 layer, rank-2 correction, 40 samples per device, noise 0.01. */
    public static LowRankScenario defaults(long seed, int servers, int clientsPerServer) {
        return new LowRankScenario(seed, servers, clientsPerServer, 40, 8, 16, 2, 0.01);
    }

    /** The frozen base W0, rows x cols, entries N(0, 1/cols). */
    public double[] base() {
        return gaussian(new SplittableRandom(seed), rows * cols, 1 / Math.sqrt(cols));
    }

    /** The correction dW* = U V every adapter should learn, rows x cols. */
    public double[] correction() {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] u = gaussian(rnd, rows * rank, 1 / Math.sqrt(rank));
        double[] v = gaussian(rnd, rank * cols, 1 / Math.sqrt(cols));
        return new LoraFactors(rows, cols, rank, u, v).product();
    }

    /** Client c of server s's samples: features (n x cols) and targets (n x rows). */
    public double[][][] samples(int s, int c) {
        SplittableRandom rnd = new SplittableRandom(mix(seed, s, c));
        double[] mean = gaussian(rnd, cols, 0.5);
        double[] w = base();
        double[] dw = correction();
        double[][] x = new double[samplesPerClient][cols];
        double[][] y = new double[samplesPerClient][rows];
        for (int k = 0; k < samplesPerClient; k++) {
            for (int i = 0; i < cols; i++) {
                x[k][i] = mean[i] + normal(rnd);
            }
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int i = 0; i < cols; i++) {
                    sum += (w[r * cols + i] + dw[r * cols + i]) * x[k][i];
                }
                y[k][r] = sum + noise * normal(rnd);
            }
        }
        return new double[][][] {x, y};
    }

    /** ||scale B A - dW*||_F / ||dW*||_F for an adapter. */
    public double relativeError(LoraFactors f, double scale) {
        double[] ba = f.product();
        double[] dw = correction();
        double diff = 0;
        double norm = 0;
        for (int k = 0; k < dw.length; k++) {
            double d = scale * ba[k] - dw[k];
            diff += d * d;
            norm += dw[k] * dw[k];
        }
        return Math.sqrt(diff / norm);
    }

    public List<String> serverIds() {
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < servers; s++) {
            ids.add(ScalarRegressionScenario.serverId(s));
        }
        return ids;
    }

    /** How the devices train their adapters each round: Adam on mini-batches. */
    public record Training(int batchSize, int localSteps, double learningRate) {}

    /** Every device of the scenario, by server, on the SDK. */
    public Map<String, List<FederatedClient>> devices(Training t) {
        Map<String, List<FederatedClient>> devices = new LinkedHashMap<>();
        double[] base = base();
        for (int s = 0; s < servers; s++) {
            List<FederatedClient> own = new ArrayList<>();
            for (int c = 0; c < clientsPerServer; c++) {
                double[][][] data = samples(s, c);
                own.add(
                        FederatedClient.lora(
                                ScalarRegressionScenario.clientId(s, c),
                                ScalarRegressionScenario.serverId(s),
                                LoraLinearTrainer.leastSquares(
                                        data[0],
                                        data[1],
                                        base,
                                        t.batchSize(),
                                        t.localSteps(),
                                        t.learningRate(),
                                        mix(seed + 1, s, c))));
            }
            devices.put(ScalarRegressionScenario.serverId(s), own);
        }
        return devices;
    }

    private static double[] gaussian(SplittableRandom rnd, int n, double scale) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = scale * normal(rnd);
        }
        return v;
    }

    private static long mix(long seed, int s, int c) {
        long h = seed * 0x9E3779B97F4A7C15L + s;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + c;
        return h ^ (h >>> 29);
    }

    /** Box-Muller: one normal deviate from two uniforms, reproducible across JVMs. */
    private static double normal(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
