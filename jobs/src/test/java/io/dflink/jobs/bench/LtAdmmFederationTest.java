package io.dflink.jobs.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalDataset;
import io.dflink.clients.Optimizer;
import io.dflink.clients.SoftmaxProblem;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.jobs.fleet.GraphShapes;
import io.dflink.operators.core.DflParams;
import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.GradientShard;
import io.dflink.operators.core.admm.LtAdmmReference;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LT-ADMM on the job's server state machine with gradient-streaming SDK clients ({@link
 * Federation}: every event encoded as on the wire) equals the single-process reference of
 * ALGORITHMS.md §4b whose agents hold the same clients' samples: the servers' estimator combines
 * the clients exactly as one agent's would, SAGA tables included.
 */
class LtAdmmFederationTest {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 2;
    private static final int ROUNDS = 4;
    private static final int DIM = Digits.FEATURES * Digits.CLASSES;

    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({"NONE, 0", "NONE, 8", "RESET, 8", "SAGA, 8"})
    void streamingServersMatchTheReference(VarianceReduction variance, int batch) {
        AdmmParams admm = new AdmmParams(0.05, 0.02, 1, 0.5, 3, batch, variance, 11);
        Map<String, List<SoftmaxProblem>> problems = problems();

        Map<String, double[]> streamed = new HashMap<>();
        List<ServerModel> models = new ArrayList<>();
        Federation federation =
                new Federation(
                        DflParams.defaults(DIM)
                                .withClientsPerServer(CLIENTS)
                                .withLastRound(ROUNDS)
                                .withEncoding(VectorEncoding.F64)
                                .withAdmm(admm),
                        graph(),
                        clients(problems));
        federation
                .onModel(
                        m -> {
                            models.add(m);
                            if (m.round == ROUNDS) {
                                streamed.put(m.serverId, m.vector);
                            }
                        })
                .run();
        assertThat(federation.rejected()).isEmpty();

        Map<String, List<GradientShard>> shards = new LinkedHashMap<>();
        problems.forEach(
                (server, own) -> {
                    List<GradientShard> list = new ArrayList<>();
                    for (int c = 0; c < own.size(); c++) {
                        list.add(
                                new GradientShard(
                                        own.get(c),
                                        batch,
                                        GradientShard.seedFor(admm.seed(), clientId(server, c))));
                    }
                    shards.put(server, list);
                });
        LtAdmmReference reference =
                new LtAdmmReference(admm, shards, neighbours(), new double[DIM]);
        for (int r = 0; r < ROUNDS; r++) {
            reference.runRound();
        }
        for (String s : problems.keySet()) {
            assertThat(streamed.get(s)).as(s).containsExactly(reference.agent(s).x(), within(1e-9));
        }
        // per round and server: tau iterates published (the round's model and tau - 1 more)
        assertThat(models.stream().filter(m -> m.round == 1 && m.serverId.equals("s0")))
                .hasSize(admm.tau());
        for (RoundMetrics m : federation.metrics()) {
            assertThat(m.gradientUp.messages).isEqualTo((long) CLIENTS * admm.tau());
            assertThat(m.consensus.messages).as("one z-message per neighbour").isEqualTo(2);
            assertThat(m.localSteps).isEqualTo(admm.tau());
        }
    }

    private static Map<String, List<SoftmaxProblem>> problems() {
        Digits.Split split = Digits.split(Digits.load(), 0.2, 5);
        List<LocalDataset> shards =
                Digits.shards(split.train(), SERVERS * CLIENTS, Digits.Sharding.LABEL_SKEW, 5);
        Map<String, List<SoftmaxProblem>> problems = new LinkedHashMap<>();
        for (int s = 0; s < SERVERS; s++) {
            List<SoftmaxProblem> own = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                LocalDataset d = shards.get(s * CLIENTS + c);
                // a few dozen samples keep the test fast; unequal sizes test the weighting
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
        return problems;
    }

    private static Map<String, List<FederatedClient>> clients(
            Map<String, List<SoftmaxProblem>> problems) {
        Map<String, List<FederatedClient>> clients = new LinkedHashMap<>();
        // the SDK client needs a trainer for DFL rounds; LT-ADMM rounds only use the samples
        LocalDataset unused = Digits.split(Digits.load(), 0.2, 5).test();
        problems.forEach(
                (server, own) -> {
                    List<FederatedClient> list = new ArrayList<>();
                    for (int c = 0; c < own.size(); c++) {
                        list.add(
                                new FederatedClient(
                                                clientId(server, c),
                                                server,
                                                new SoftmaxRegressionTrainer(
                                                        unused,
                                                        Digits.CLASSES,
                                                        8,
                                                        Optimizer.sgd(0.1),
                                                        1),
                                                1)
                                        .answeringGradients(own.get(c)));
                    }
                    clients.put(server, list);
                });
        return clients;
    }

    private static String clientId(String server, int c) {
        return server + "-c" + c;
    }

    private static List<String> servers() {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < SERVERS; i++) {
            s.add("s" + i);
        }
        return s;
    }

    private static TopologyEvent graph() {
        return TopologyEvent.graph(
                0, servers(), GraphShapes.edges(GraphShapes.Shape.RING, servers(), 0, 0));
    }

    private static Map<String, List<String>> neighbours() {
        Map<String, List<String>> n = new LinkedHashMap<>();
        for (int i = 0; i < SERVERS; i++) {
            n.put("s" + i, List.of("s" + (i + SERVERS - 1) % SERVERS, "s" + (i + 1) % SERVERS));
        }
        return n;
    }
}
