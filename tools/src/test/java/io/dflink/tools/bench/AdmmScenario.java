package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalDataset;
import io.dflink.clients.Optimizer;
import io.dflink.clients.SoftmaxProblem;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.GradientShard;
import io.dflink.operators.core.admm.LtAdmmReference;
import io.dflink.records.TopologyEvent;
import io.dflink.tools.fleet.GraphShapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small LT-ADMM scenario for tests: servers s0.. on a ring, each with clients holding a few dozen
 * label-skewed digits samples (L2-regularised softmax regression, unequal sizes), as SDK clients
 * for the job and as gradient shards for the single-process reference.
 */
public final class AdmmScenario {

    public static final int DIM = Digits.FEATURES * Digits.CLASSES;

    private final int servers;
    private final Map<String, List<SoftmaxProblem>> problems = new LinkedHashMap<>();

    public AdmmScenario(int servers, int clientsPerServer, long seed) {
        this.servers = servers;
        Digits.Split split = Digits.split(Digits.load(), 0.2, seed);
        List<LocalDataset> shards =
                Digits.shards(
                        split.train(),
                        servers * clientsPerServer,
                        Digits.Sharding.LABEL_SKEW,
                        seed);
        for (int s = 0; s < servers; s++) {
            List<SoftmaxProblem> own = new ArrayList<>();
            for (int c = 0; c < clientsPerServer; c++) {
                LocalDataset d = shards.get(s * clientsPerServer + c);
                int n = 30 + 7 * c + s;
                own.add(
                        new SoftmaxProblem(
                                new LocalDataset(
                                        Arrays.copyOf(d.features(), n),
                                        Arrays.copyOf(d.targets(), n)),
                                Digits.CLASSES,
                                0.01));
            }
            problems.put("s" + s, own);
        }
    }

    public static String clientId(String server, int c) {
        return server + "-c" + c;
    }

    public List<String> servers() {
        return List.copyOf(problems.keySet());
    }

    public TopologyEvent graph() {
        return TopologyEvent.graph(
                0, servers(), GraphShapes.edges(GraphShapes.Shape.RING, servers(), 0, 0));
    }

    /** The SDK clients, by server, answering LT-ADMM servers with their samples' gradients. */
    public Map<String, List<FederatedClient>> clients() {
        // the SDK client needs a trainer for DFL rounds; LT-ADMM rounds only use the samples
        LocalDataset any = problems.values().iterator().next().get(0).data();
        Map<String, List<FederatedClient>> clients = new LinkedHashMap<>();
        problems.forEach(
                (server, own) -> {
                    List<FederatedClient> list = new ArrayList<>();
                    for (int c = 0; c < own.size(); c++) {
                        SoftmaxRegressionTrainer unused =
                                new SoftmaxRegressionTrainer(
                                        any, Digits.CLASSES, 8, Optimizer.sgd(0.1), 1);
                        list.add(
                                new FederatedClient(clientId(server, c), server, unused, 1)
                                        .answeringGradients(own.get(c)));
                    }
                    clients.put(server, list);
                });
        return clients;
    }

    /** The single-process reference whose agents hold the same clients' samples. */
    public LtAdmmReference reference(AdmmParams admm) {
        Map<String, List<GradientShard>> shards = new LinkedHashMap<>();
        problems.forEach(
                (server, own) -> {
                    List<GradientShard> list = new ArrayList<>();
                    for (int c = 0; c < own.size(); c++) {
                        list.add(
                                new GradientShard(
                                        own.get(c),
                                        admm.batchSize(),
                                        GradientShard.seedFor(admm.seed(), clientId(server, c))));
                    }
                    shards.put(server, list);
                });
        Map<String, List<String>> neighbours = new LinkedHashMap<>();
        for (int i = 0; i < servers; i++) {
            neighbours.put(
                    "s" + i,
                    servers == 2
                            ? List.of("s" + (1 - i))
                            : List.of("s" + (i + servers - 1) % servers, "s" + (i + 1) % servers));
        }
        return new LtAdmmReference(admm, shards, neighbours, new double[DIM]);
    }
}
