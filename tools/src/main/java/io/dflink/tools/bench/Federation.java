package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.server.Server;
import io.dflink.operators.core.server.ServerOutputs;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;
import io.dflink.records.Traffic;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.ServerModelCodec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Servers (the job's {@link Server} state machine) and their devices (the SDK's {@link
 * FederatedClient}) in one process, joined by one FIFO queue that carries every event as its
 * encoded JSON bytes. Protocol, codecs, validation of the server core and communication accounting
 * are those of a deployment; Kafka and Flink are not there, so thousands of steps run in seconds.
 * For benchmarks that sweep many configurations and for tests of the protocol; the {@code *ITCase}s
 * prove the same protocol through Kafka and Flink.
 */
public final class Federation {

    /** What was sent, by kind, counted like the servers count it. */
    public record Wire(
            Traffic monitoringUp,
            Traffic modelUp,
            Traffic gradientUp,
            Traffic modelDown,
            Traffic control,
            Traffic consensus) {

        Wire() {
            this(
                    new Traffic(),
                    new Traffic(),
                    new Traffic(),
                    new Traffic(),
                    new Traffic(),
                    new Traffic());
        }

        public long bytes() {
            return monitoringUp.bytes
                    + modelUp.bytes
                    + gradientUp.bytes
                    + modelDown.bytes
                    + control.bytes
                    + consensus.bytes;
        }
    }

    private final ServerParams params;
    private final Server server;
    private final TopologyHistory topology = new TopologyHistory();
    private final Map<String, ServerState> states = new TreeMap<>();
    private final Map<String, List<FederatedClient>> clients;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Wire wire = new Wire();
    private final List<RoundMetrics> metrics = new ArrayList<>();
    private final List<DeadLetter> rejected = new ArrayList<>();
    private final ServerOutputs outputs = new Outputs();
    private Consumer<ServerModel> onModel = m -> {};
    private Tampering tampering = (model, client, updates) -> updates;
    private long offset;

    public Federation(
            ServerParams params, TopologyEvent graph, Map<String, List<FederatedClient>> clients) {
        this.params = params;
        this.server = new Server(params);
        this.clients = new LinkedHashMap<>(clients);
        topology.apply(graph);
        for (String s : graph.servers) {
            states.put(s, new ServerState());
        }
    }

    /**
     * Applies a later topology change (it takes effect at its effective round, as in the job; the
     * change must come before the run reaches that round, so give it before {@link #run()}).
     */
    public Federation change(TopologyEvent event) {
        topology.apply(event);
        return this;
    }

    /**
     * What a device sends instead of its honest answer to a model: how benchmarks and tests plant
     * Byzantine devices. Called for every device, in the server's device order, honest ones
     * included (so that colluding attackers may look at the honest updates of the round).
     */
    public interface Tampering {
        List<ClientUpdate> answer(
                ServerModel model, FederatedClient device, List<ClientUpdate> honest);
    }

    /** Replaces the devices' answers by what {@code t} makes of them. */
    public Federation tampering(Tampering t) {
        this.tampering = t;
        return this;
    }

    /** Called with every model a server publishes, as its clients decode it. */
    public Federation onModel(Consumer<ServerModel> listener) {
        this.onModel = listener;
        return this;
    }

    /** Runs until nothing is in flight: with a round limit, until every server has finished. */
    public void run() {
        for (String s : states.keySet()) {
            queue.add(() -> toServer(ServerInput.wake(s)));
        }
        while (!queue.isEmpty()) {
            queue.poll().run();
        }
    }

    /** Traffic so far, as the driver saw it on its queue. */
    public Wire wire() {
        return wire;
    }

    /** Every server's finished rounds. */
    public List<RoundMetrics> metrics() {
        return metrics;
    }

    /** Everything a server dead-lettered (nothing, for a well-behaved fleet). */
    public List<DeadLetter> rejected() {
        return rejected;
    }

    public ServerState state(String serverId) {
        return states.get(serverId);
    }

    private void toServer(ServerInput in) {
        server.onInput(states.get(in.serverId), in, topology, outputs, 0);
    }

    private void send(List<ClientUpdate> updates) {
        for (ClientUpdate u : updates) {
            byte[] bytes = ClientUpdateCodec.encode(u, params.encoding());
            if (u.isModel()) {
                wire.modelUp.add(1, bytes.length);
            } else if (u.isFdaState()) {
                wire.monitoringUp.add(1, bytes.length);
            } else if (u.isGradient()) {
                wire.gradientUp.add(1, bytes.length);
            }
            SourceRef ref = ref(Topics.CLIENT_UPDATES.name(), u.serverId, bytes);
            queue.add(() -> toServer(ServerInput.of(ReadBack.update(bytes), ref)));
        }
    }

    private SourceRef ref(String topic, String key, byte[] bytes) {
        return new SourceRef(topic, 0, offset++, key, bytes);
    }

    private List<FederatedClient> clientsOf(String serverId) {
        return clients.getOrDefault(serverId, List.of());
    }

    /** Routes a server's outputs through the queue, encoded as on the wire. */
    private final class Outputs implements ServerOutputs {
        @Override
        public void model(ServerModel m) {
            byte[] bytes = ServerModelCodec.encode(m, params.encoding());
            ServerModel seen = ReadBack.model(bytes);
            if (!m.last) {
                long receivers = clientsOf(m.serverId).size();
                wire.modelDown.add(receivers, receivers * bytes.length);
            }
            onModel.accept(seen);
            queue.add(
                    () -> {
                        for (FederatedClient c : clientsOf(seen.serverId)) {
                            send(tampering.answer(seen, c, c.onServerModel(seen)));
                        }
                    });
        }

        @Override
        public void consensus(ConsensusMessage message) {
            byte[] bytes = ConsensusMessageCodec.encode(message, params.encoding());
            wire.consensus.add(1, bytes.length);
            SourceRef ref = ref(Topics.CONSENSUS.name(), message.to, bytes);
            queue.add(() -> toServer(ServerInput.of(ReadBack.consensus(bytes), ref)));
        }

        @Override
        public void control(ControlEvent event) {
            byte[] bytes = ControlEventCodec.encode(event);
            long receivers = clientsOf(event.serverId).size();
            wire.control.add(receivers, receivers * bytes.length);
            queue.add(
                    () -> {
                        ControlEvent seen = ReadBack.control(bytes);
                        for (FederatedClient c : clientsOf(seen.serverId)) {
                            send(c.onControl(seen));
                        }
                    });
        }

        @Override
        public void metrics(RoundMetrics m) {
            metrics.add(m);
        }

        @Override
        public void reject(DeadLetter d) {
            rejected.add(d);
        }

        @Override
        public void timer(long atMillis) {
            // never asked for: the in-process federation calls no armTimeouts (no wall-clock waits)
            throw new UnsupportedOperationException("the in-process federation has no timers");
        }
    }
}
