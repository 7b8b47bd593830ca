package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalDataset;
import io.dflink.clients.LoraLinearTrainer;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.graph.Graph;
import io.dflink.operators.core.graph.MixingWeights;
import io.dflink.operators.core.lora.LinkActivation;
import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraMixing;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.operators.core.lora.LoraVariant;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.Edge;
import io.dflink.records.TopologyEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decentralised LoRA in one process (docs/algorithms.md §2b): m peers, each with its data and a
 * copy of the factors from the shared initialisation, on the complete graph whose links are active
 * with probability p per round (seeded, {@link LinkActivation}); each round every peer trains the
 * variant's factor ({@link LoraLinearTrainer}), then the variant's factors are mixed with
 * Metropolis-Hastings weights on the round's active graph. Records per round the cross term
 * ||C_t||_F, the disagreement of A and B, the peers' mean held-out accuracy, and the floats sent.
 */
public final class LoraRun {

    /** The run's fixed parts. */
    public record Setup(
            List<LocalDataset> peers,
            LocalDataset test,
            double[] base,
            int rank,
            double alpha,
            int rounds,
            int localSteps,
            int batchSize,
            double learningRate,
            double p,
            int interval,
            LoraVariant variant,
            long seed) {}

    /** Per-round traces. */
    public record Trace(
            double[] crossTerm,
            double[] disagreementA,
            double[] disagreementB,
            double[] accuracy,
            long floatsSent,
            List<LoraFactors> finalFactors) {

        public double finalAccuracy() {
            return accuracy[accuracy.length - 1];
        }
    }

    private LoraRun() {}

    public static Trace run(Setup s) {
        int m = s.peers().size();
        int classes = Digits.CLASSES;
        int features = Digits.FEATURES;
        List<LoraFactors> factors = new ArrayList<>();
        List<LoraLinearTrainer> trainers = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            factors.add(LoraFactors.initial(classes, features, s.rank(), s.seed()));
            trainers.add(trainer(s, i));
        }
        Graph complete = complete(m);
        double[] cross = new double[s.rounds()];
        double[] disA = new double[s.rounds()];
        double[] disB = new double[s.rounds()];
        double[] acc = new double[s.rounds()];
        long floats = 0;
        for (int t = 0; t < s.rounds(); t++) {
            LoraVariant.Factor trained = s.variant().trained(t, s.interval());
            for (int i = 0; i < m; i++) {
                trainers.get(i).train(factors.get(i), s.alpha() / s.rank(), trained);
            }
            Graph active = LinkActivation.activeGraph(complete, s.seed(), t, s.p());
            LoraVariant.Factor mixed = s.variant().mixed(t, s.interval());
            LoraMixing.mix(factors, MixingWeights.matrix(active), mixed);
            int edges = 0;
            for (String id : active.servers()) {
                edges += active.degree(id);
            }
            LoraFactors f0 = factors.get(0);
            long perMessage =
                    (mixed.includesA() ? f0.a.length : 0) + (mixed.includesB() ? f0.b.length : 0);
            floats += edges * perMessage; // degrees sum = directed messages
            cross[t] = LoraMixing.frobenius(LoraMixing.crossTerm(factors));
            disA[t] = LoraMixing.disagreement(factors, true);
            disB[t] = LoraMixing.disagreement(factors, false);
            acc[t] = meanAccuracy(s, factors);
        }
        return new Trace(cross, disA, disB, acc, floats, factors);
    }

    /** The run's settings as the streaming servers take them (one mixing step per round). */
    public static LoraParams loraParams(Setup s) {
        return new LoraParams(
                s.variant(),
                s.interval(),
                s.p(),
                s.seed(),
                s.rank(),
                s.alpha(),
                Digits.CLASSES,
                Digits.FEATURES);
    }

    /**
     * The same run for the job's servers: one server per peer (named as the peers), each closing
     * its rounds with its one device, for {@code rounds} rounds.
     */
    public static ServerParams params(Setup s) {
        return ServerParams.defaults(1)
                .withLora(loraParams(s))
                .withClientsPerServer(1)
                .withLastRound(s.rounds());
    }

    /** The complete graph over the peers, as a topology event. */
    public static TopologyEvent graph(Setup s) {
        Graph g = complete(s.peers().size());
        List<Edge> edges = new ArrayList<>();
        for (String i : g.servers()) {
            for (String j : g.neighbours(i)) {
                if (i.compareTo(j) < 0) {
                    edges.add(new Edge(i, j));
                }
            }
        }
        return TopologyEvent.graph(0, g.servers(), edges);
    }

    /** Peer i as a device of server i, training like the reference run's peer i. */
    public static Map<String, List<FederatedClient>> devices(Setup s) {
        Map<String, List<FederatedClient>> devices = new LinkedHashMap<>();
        List<String> ids = peerIds(s.peers().size());
        for (int i = 0; i < ids.size(); i++) {
            devices.put(
                    ids.get(i),
                    List.of(FederatedClient.lora("device-" + i, ids.get(i), trainer(s, i))));
        }
        return devices;
    }

    private static LoraLinearTrainer trainer(Setup s, int peer) {
        return LoraLinearTrainer.softmax(
                s.peers().get(peer),
                s.base(),
                Digits.CLASSES,
                s.batchSize(),
                s.localSteps(),
                s.learningRate(),
                s.seed() * 1000 + peer);
    }

    private static double meanAccuracy(Setup s, List<LoraFactors> factors) {
        double sum = 0;
        double scale = s.alpha() / s.rank();
        for (LoraFactors f : factors) {
            sum +=
                    SoftmaxRegressionTrainer.accuracy(
                            LoraLinearTrainer.weights(s.base(), f, scale),
                            s.test(),
                            Digits.CLASSES);
        }
        return sum / factors.size();
    }

    /** The peers' ids, as the streaming servers of the same run are named. */
    public static List<String> peerIds(int m) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            ids.add(String.format("p%02d", i));
        }
        return ids;
    }

    static Graph complete(int m) {
        List<String> ids = peerIds(m);
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                edges.add(new Edge(ids.get(i), ids.get(j)));
            }
        }
        return Graph.of(ids, edges);
    }
}
