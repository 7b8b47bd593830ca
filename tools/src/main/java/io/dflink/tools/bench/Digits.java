package io.dflink.tools.bench;

import io.dflink.clients.LocalDataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The bundled 8x8 digits set (UCI, CC BY 4.0; see {@code data/README.md}): 1,797 samples, pixels
 * scaled to [0, 1] plus a constant bias feature (65 features), labels 0..9. Splits into a seeded
 * train / held-out pair and shards the training set over clients, IID or label-skewed.
 */
public final class Digits {

    public static final int CLASSES = 10;
    public static final int FEATURES = 65;

    /** A training set and a held-out test set. */
    public record Split(LocalDataset train, LocalDataset test) {}

    /** How the training samples are dealt to clients. */
    public enum Sharding {
        /** A seeded shuffle dealt round-robin: every client sees every label. */
        IID,
        /**
         * FDA's "bias 0.6" (docs/algorithms.md §3d): 60% of the samples, sorted by label, are dealt
         * in contiguous blocks (each client gets one or two labels of them); the other 40% IID.
         */
        LABEL_SKEW
    }

    private Digits() {}

    /** All samples, in file order. */
    public static LocalDataset load() {
        List<double[]> rows = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        try (InputStream raw = Digits.class.getResourceAsStream("/data/digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("data/digits.csv.gz is missing from the classpath");
            }
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    new GZIPInputStream(raw), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] x = new double[FEATURES];
                for (int i = 0; i < 64; i++) {
                    x[i] = Integer.parseInt(cells[i].trim()) / 16.0;
                }
                x[64] = 1;
                rows.add(x);
                labels.add((double) Integer.parseInt(cells[64].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the digits data", e);
        }
        return new LocalDataset(
                rows.toArray(new double[0][]),
                labels.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A seeded shuffle, the first {@code 1 - testFraction} for training, the rest held out. */
    public static Split split(LocalDataset all, double testFraction, long seed) {
        int[] order = shuffled(all.size(), seed);
        int test = (int) Math.round(all.size() * testFraction);
        return new Split(
                subset(all, Arrays.copyOfRange(order, test, order.length)),
                subset(all, Arrays.copyOfRange(order, 0, test)));
    }

    /** The training set dealt to {@code clients} clients. */
    public static List<LocalDataset> shards(
            LocalDataset train, int clients, Sharding sharding, long seed) {
        int[] order = shuffled(train.size(), seed);
        List<List<Integer>> dealt = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            dealt.add(new ArrayList<>());
        }
        int sorted = sharding == Sharding.LABEL_SKEW ? (int) (0.6 * order.length) : 0;
        Integer[] skewed = new Integer[sorted];
        for (int i = 0; i < sorted; i++) {
            skewed[i] = order[i];
        }
        // stable sort by label: ties keep the seeded shuffle's order
        Arrays.sort(skewed, Comparator.comparingDouble(i -> train.targets()[i]));
        for (int i = 0; i < sorted; i++) {
            dealt.get((int) ((long) i * clients / sorted)).add(skewed[i]);
        }
        for (int i = sorted; i < order.length; i++) {
            dealt.get((i - sorted) % clients).add(order[i]);
        }
        List<LocalDataset> shards = new ArrayList<>();
        for (List<Integer> d : dealt) {
            shards.add(subset(train, d.stream().mapToInt(Integer::intValue).toArray()));
        }
        return shards;
    }

    private static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static LocalDataset subset(LocalDataset all, int[] indices) {
        double[][] x = new double[indices.length][];
        double[] y = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            x[i] = all.features()[indices[i]];
            y[i] = all.targets()[indices[i]];
        }
        return new LocalDataset(x, y);
    }
}
