package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.clients.LocalDataset;
import io.dflink.clients.Optimizer;
import io.dflink.clients.SoftmaxRegressionTrainer;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.server.Algorithm;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.operators.core.serverfda.ServerFdaParams;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.fleet.GraphShapes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One FDA run on the digits set: softmax-regression clients (Adam, batch 32) on their shards,
 * {@code servers} servers on a ring, each governing its clients' phase with {@code fda} for {@code
 * rounds} rounds of T_C local steps, with T_S consensus steps between rounds. Records, at every
 * model a server publishes, the held-out accuracy of the servers' current models (their mean) and
 * the bytes sent so far.
 */
public final class FdaRun {

    /** The fixed parts of a run. */
    public record Setup(
            int servers,
            List<LocalDataset> shards,
            LocalDataset test,
            int rounds,
            int consensusSteps,
            int batchSize,
            double learningRate,
            OptimizerChoice optimizer,
            VectorEncoding encoding,
            long seed) {

        public int clientsPerServer() {
            return shards.size() / servers;
        }
    }

    /** The clients' optimizer. */
    public enum OptimizerChoice {
        SGD,
        ADAM;

        public Optimizer create(double learningRate) {
            return this == SGD ? Optimizer.sgd(learningRate) : Optimizer.adam(learningRate);
        }
    }

    /**
     * One evaluation, after {@code steps} local steps and {@code syncsPerServer} syncs: the bytes
     * sent so far as encoded on the wire, and as FDA's authors count them ({@link #paperBytes}),
     * and the servers' mean held-out accuracy.
     */
    public record Point(
            double steps,
            double syncsPerServer,
            long bytes,
            long paperBytes,
            double accuracy,
            long consensusMessages,
            long consensusBytes) {}

    /**
     * The FDA authors' cost model ({@code fdavg/utils/communication_cost.py}, docs/algorithms.md
     * §3c): 4 bytes per float, d floats per model up or down and per consensus message, 1 / 2 / 1 +
     * D*W floats per monitoring state, decisions free.
     */
    public static long paperBytes(Federation.Wire w, int dim, FdaParams fda) {
        long models = w.modelUp().messages + w.modelDown().messages + w.consensus().messages;
        return 4 * (models * dim + w.monitoringUp().messages * fda.stateValues());
    }

    /** The trace of a run and its traffic. */
    public record Outcome(List<Point> trace, Federation.Wire wire, List<RoundMetrics> metrics) {

        public double finalAccuracy() {
            return trace.get(trace.size() - 1).accuracy();
        }

        /** The first evaluation at or above {@code target}, or null. */
        public Point first(double target) {
            for (Point p : trace) {
                if (p.accuracy() >= target) {
                    return p;
                }
            }
            return null;
        }
    }

    private FdaRun() {}

    public static Outcome run(Setup setup, FdaParams fda) {
        return run(setup, fda, m -> {});
    }

    /** As above, also handing every published model to {@code models}, in order. */
    public static Outcome run(Setup setup, FdaParams fda, Consumer<ServerModel> models) {
        return run(setup, fda, params(setup, fda), models);
    }

    /**
     * A run of the server tier: DFL's clients ({@code clientFda} false: one model per client and
     * round after {@code fda}'s T_C local steps) or FDA's, and servers that gossip as {@code
     * serverFda} decides.
     */
    public static Outcome run(
            Setup setup, FdaParams fda, boolean clientFda, ServerFdaParams serverFda) {
        ServerParams p =
                params(setup, fda).toBuilder()
                        .algorithm(new Algorithm.Dfl(clientFda ? fda : null))
                        .serverFda(serverFda)
                        .build();
        return run(setup, fda, p, m -> {});
    }

    private static Outcome run(
            Setup setup, FdaParams fda, ServerParams params, Consumer<ServerModel> models) {
        Federation federation = new Federation(params, graph(setup), clients(setup, fda));
        Tracker tracker = new Tracker(setup, fda, federation);
        federation
                .onModel(
                        m -> {
                            models.accept(m);
                            tracker.onModel(m);
                        })
                .run();
        if (!federation.rejected().isEmpty()) {
            throw new IllegalStateException(
                    "a well-behaved fleet was dead-lettered: "
                            + federation.rejected().get(0).reason);
        }
        return new Outcome(tracker.trace, federation.wire(), federation.metrics());
    }

    /** The servers' settings of a run. */
    public static ServerParams params(Setup setup, FdaParams fda) {
        return ServerParams.defaults(Digits.FEATURES * Digits.CLASSES)
                .withConsensusSteps(setup.servers() > 1 ? setup.consensusSteps() : 0)
                .withClientsPerServer(setup.clientsPerServer())
                .withLastRound(setup.rounds())
                .withEncoding(setup.encoding())
                .withFda(fda);
    }

    /** Servers s0.. on a ring. */
    public static TopologyEvent graph(Setup setup) {
        List<String> servers = new ArrayList<>();
        for (int s = 0; s < setup.servers(); s++) {
            servers.add("s" + s);
        }
        return TopologyEvent.graph(
                0, servers, GraphShapes.edges(GraphShapes.Shape.RING, servers, 0, 0));
    }

    /** Each server's clients: client c of server s trains on shard s * clientsPerServer + c. */
    public static Map<String, List<FederatedClient>> clients(Setup setup, FdaParams fda) {
        Map<String, List<FederatedClient>> clients = new LinkedHashMap<>();
        int index = 0;
        for (String s : graph(setup).servers) {
            List<FederatedClient> own = new ArrayList<>();
            for (int c = 0; c < setup.clientsPerServer(); c++, index++) {
                own.add(
                        new FederatedClient(
                                s + "-c" + c,
                                s,
                                new SoftmaxRegressionTrainer(
                                        setup.shards().get(index),
                                        Digits.CLASSES,
                                        setup.batchSize(),
                                        setup.optimizer().create(setup.learningRate()),
                                        setup.seed() * 1000 + index),
                                fda.steps()));
            }
            clients.put(s, own);
        }
        return clients;
    }

    /** Evaluates the servers' current models whenever one changes. */
    private static final class Tracker {
        private final Setup setup;
        private final FdaParams fda;
        private final Federation federation;
        private final Map<String, Double> accuracy = new HashMap<>();
        private final List<Point> trace = new ArrayList<>();
        private long syncs;
        private double steps;

        Tracker(Setup setup, FdaParams fda, Federation federation) {
            this.setup = setup;
            this.fda = fda;
            this.federation = federation;
        }

        void onModel(ServerModel m) {
            if (m.step > 0 || m.round > 0) {
                syncs++;
            }
            steps = Math.max(steps, (double) m.round * fda.steps() + m.step);
            accuracy.put(
                    m.serverId,
                    SoftmaxRegressionTrainer.accuracy(m.vector, setup.test(), Digits.CLASSES));
            if (accuracy.size() == setup.servers()) {
                double mean =
                        accuracy.values().stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElse(0);
                trace.add(
                        new Point(
                                steps,
                                (double) syncs / setup.servers(),
                                federation.wire().bytes(),
                                paperBytes(federation.wire(), m.vector.length, fda),
                                mean,
                                federation.wire().consensus().messages,
                                federation.wire().consensus().bytes));
            }
        }
    }
}
