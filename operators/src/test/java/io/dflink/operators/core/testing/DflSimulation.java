package io.dflink.operators.core.testing;

import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.server.Server;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs {@link Server}s in memory with quadratic-loss clients (full-batch GD, T_C steps) and an
 * in-memory network, delivering pending inputs in FIFO or seeded random order. The test fixture for
 * the core oracles of docs/algorithms.md §1f; no Flink, no Kafka.
 */
public final class DflSimulation {

    /** Client j of a server: its least-squares data (rows include a bias column). */
    public record ClientData(String id, double[][] x, double[] y) {}

    private final ServerParams params;
    private final Server server;
    private final TopologyHistory topology = new TopologyHistory();
    private final Map<String, ServerState> states = new LinkedHashMap<>();
    private final Map<String, List<ClientData>> clients;
    private final double stepSize;
    private final int localSteps;
    private final List<ServerInput> inFlight = new ArrayList<>();
    private final SplittableRandom order;
    private final Map<String, Long> silentFrom = new HashMap<>();
    final Map<String, Map<Long, double[]>> byServer = new HashMap<>();

    /** Called with every published model and its server's state, after the core's update. */
    public java.util.function.BiConsumer<ServerModel, ServerState> onModel = (m, st) -> {};

    /** Every DFL iterate sent, as (round, step, server) -> v_server^step. */
    public final Map<String, double[]> sentIterates = new HashMap<>();

    public DflSimulation(
            ServerParams params,
            TopologyEvent graph,
            Map<String, List<ClientData>> clients,
            double stepSize,
            int localSteps,
            Long shuffleSeed) {
        this.params = params;
        this.server = new Server(params);
        this.clients = clients;
        this.stepSize = stepSize;
        this.localSteps = localSteps;
        this.order = shuffleSeed == null ? null : new SplittableRandom(shuffleSeed);
        topology.apply(graph);
        for (String s : graph.servers) {
            states.put(s, new ServerState());
            inFlight.add(ServerInput.wake(s));
        }
    }

    /** Delivers inputs until nothing is in flight; returns the number delivered. */
    public int run() {
        int delivered = 0;
        while (!inFlight.isEmpty()) {
            int k = order == null ? 0 : order.nextInt(inFlight.size());
            ServerInput in = inFlight.remove(k);
            server.onInput(states.get(in.serverId), in, topology, outputs, delivered);
            delivered++;
        }
        return delivered;
    }

    /**
     * Delivers inputs until nothing is in flight; whenever the network goes quiet, fires the
     * consensus-start timeout of every server still waiting at step 0 (a deterministic stand-in for
     * the wall-clock timer). Returns the number delivered.
     */
    public int runWithTimeouts() {
        int delivered = run();
        while (true) {
            for (ServerState st : states.values()) {
                server.onConsensusTimeout(st, outputs);
            }
            if (inFlight.isEmpty()) {
                return delivered;
            }
            delivered += run();
        }
    }

    /** A topology change, known from the start (it takes effect at its effective round). */
    public void applyTopology(TopologyEvent change) {
        topology.apply(change);
    }

    /** A server the topology names later: its state, and its wake-up (as the job sends it). */
    public void addServer(String id) {
        states.put(id, new ServerState());
        inFlight.add(ServerInput.wake(id));
    }

    public TopologyHistory topology() {
        return topology;
    }

    /** The clients of {@code server} stop answering models of {@code round} and later. */
    public void silenceClients(String server, long round) {
        silentFrom.put(server, round);
    }

    void inject(ServerInput in) {
        inFlight.add(in);
    }

    public ServerState state(String server) {
        return states.get(server);
    }

    public double[] model(String server, long round) {
        return byServer.get(server).get(round);
    }

    /** T_C full-batch GD steps on f(w) = (1/(2D))||Xw - y||^2 from w0. */
    public static double[] localTraining(ClientData c, double[] w0, double gamma, int steps) {
        double[] w = w0.clone();
        int d = w.length;
        for (int t = 0; t < steps; t++) {
            double[] g = new double[d];
            for (int k = 0; k < c.y.length; k++) {
                double r = Vec.dot(c.x[k], w) - c.y[k];
                Vec.axpy(r, c.x[k], g);
            }
            Vec.axpy(-gamma / c.y.length, g, w);
        }
        return w;
    }

    /** Collects rejects and metrics; answers models with client updates, loops consensus back. */
    private final CollectingOutputs outputs =
            new CollectingOutputs() {
                @Override
                public void model(ServerModel m) {
                    byServer.computeIfAbsent(m.serverId, k -> new HashMap<>())
                            .put(m.round, m.vector);
                    onModel.accept(m, states.get(m.serverId));
                    if (!m.last) {
                        answer(m);
                    }
                }

                @Override
                public void consensus(ConsensusMessage m) {
                    if (ConsensusMessage.KIND_DFL_MODEL.equals(m.kind)) {
                        sentIterates.put(m.round + "/" + m.step + "/" + m.from, m.vector);
                    }
                    inFlight.add(ServerInput.of(m, source("consensus")));
                }
            };

    public final List<DeadLetter> rejected = outputs.rejected;
    public final List<RoundMetrics> metrics = outputs.metrics;

    private void answer(ServerModel m) {
        if (m.round >= silentFrom.getOrDefault(m.serverId, Long.MAX_VALUE)) {
            return;
        }
        for (ClientData c : clients.get(m.serverId)) {
            double[] w = localTraining(c, m.vector, stepSize, localSteps);
            ClientUpdate u = ClientUpdate.model(c.id, m.serverId, m.round, c.y.length, w);
            inFlight.add(ServerInput.of(u, source("client-updates")));
        }
    }

    static SourceRef source(String topic) {
        return new SourceRef(topic, 0, 0, null, new byte[0]);
    }
}
