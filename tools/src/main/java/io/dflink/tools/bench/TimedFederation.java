package io.dflink.tools.bench;

import io.dflink.clients.AsyncDevice;
import io.dflink.clients.DevicePace;
import io.dflink.clients.FederatedClient;
import io.dflink.kafka.Topics;
import io.dflink.operators.core.Phase;
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
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.ServerModelCodec;
import io.dflink.settings.Require;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Servers (the job's {@link Server} state machine) and devices on one simulated clock: a device's
 * training takes the time its {@link DevicePace} says, every message takes {@code hopMillis} to
 * arrive, and the servers' round timeouts fire at simulated times. Lock-step devices ({@link
 * FederatedClient}) train one model after the other, asynchronous ones ({@link AsyncDevice}) at
 * their own pace. Every event travels as its encoded JSON bytes, counted like the servers count
 * them. For the asynchronous benchmark, which compares client phases by the device time they need;
 * {@link Federation} is its untimed sibling.
 */
public final class TimedFederation {

    /** Bytes sent so far: device to server, server to device, server to server. */
    public record Wire(long up, long down, long consensus) {
        public long bytes() {
            return up + down + consensus;
        }
    }

    private record Event(long at, long seq, Runnable action) {}

    private final ServerParams params;
    private final Server server;
    private final long hopMillis;
    private final TopologyHistory topology = new TopologyHistory();
    private final Map<String, ServerState> states = new TreeMap<>();
    private final Map<String, List<FederatedClient>> syncDevices = new LinkedHashMap<>();
    private final Map<String, DevicePace> syncPaces = new HashMap<>();
    private final Map<String, Long> busyUntil = new HashMap<>();
    private final Map<String, List<AsyncDevice>> asyncDevices = new LinkedHashMap<>();
    private final Map<AsyncDevice, Long> nextPoke = new HashMap<>();
    private final PriorityQueue<Event> queue =
            new PriorityQueue<>(
                    (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final List<RoundMetrics> metrics = new ArrayList<>();
    private final List<DeadLetter> rejected = new ArrayList<>();
    private final ServerOutputs outputs = new Outputs();
    private long up;
    private long down;
    private long consensus;
    private long now;
    private long seq;
    private long offset;
    private String currentServer; // whose outputs the server core is writing: timers need it

    public TimedFederation(ServerParams params, TopologyEvent graph, long hopMillis) {
        this.params = params;
        this.server = new Server(params);
        this.hopMillis = Require.atLeast("hop-millis", hopMillis, 0);
        topology.apply(graph);
        for (String s : graph.servers) {
            states.put(s, new ServerState());
        }
    }

    /**
     * A lock-step device, training its {@link FederatedClient#localSteps} per model at {@code
     * pace}.
     */
    public TimedFederation add(FederatedClient device, DevicePace pace) {
        requireTimed(pace);
        syncDevices.computeIfAbsent(device.serverId(), k -> new ArrayList<>()).add(device);
        syncPaces.put(device.clientId(), pace);
        return this;
    }

    /** An asynchronous device. */
    public TimedFederation add(AsyncDevice device) {
        requireTimed(device.pace());
        asyncDevices.computeIfAbsent(device.serverId(), k -> new ArrayList<>()).add(device);
        return this;
    }

    private static void requireTimed(DevicePace pace) {
        // a device that trains in no time would upload forever at one instant
        Require.positive("millis-per-step", pace.millisPerStep());
    }

    /**
     * Runs the simulated clock up to {@code untilMillis} (or until nothing is left to do), calling
     * {@code sample} with the time every {@code sampleMillis}.
     */
    public void run(long untilMillis, long sampleMillis, LongConsumer sample) {
        Require.atLeast("sample-millis", sampleMillis, 1);
        for (String s : states.keySet()) {
            at(0, () -> toServer(ServerInput.wake(s)));
        }
        at(0, () -> sampleEvery(sampleMillis, sample));
        while (!queue.isEmpty() && queue.peek().at <= untilMillis) {
            Event e = queue.poll();
            now = e.at;
            e.action.run();
        }
        if (!queue.isEmpty()) {
            now = untilMillis;
        }
    }

    private void sampleEvery(long period, LongConsumer sample) {
        sample.accept(now);
        boolean running = false;
        for (ServerState s : states.values()) {
            running |= s.phase != Phase.DONE;
        }
        if (running) {
            at(now + period, () -> sampleEvery(period, sample));
        }
    }

    public long now() {
        return now;
    }

    public Wire wire() {
        return new Wire(up, down, consensus);
    }

    public ServerState state(String serverId) {
        return states.get(serverId);
    }

    public List<String> servers() {
        return List.copyOf(states.keySet());
    }

    public List<RoundMetrics> metrics() {
        return metrics;
    }

    public List<DeadLetter> rejected() {
        return rejected;
    }

    private void at(long time, Runnable action) {
        queue.add(new Event(time, seq++, action));
    }

    private void toServer(ServerInput in) {
        ServerState s = states.get(in.serverId);
        currentServer = in.serverId;
        server.onInput(s, in, topology, outputs, now);
        server.armTimeouts(s, now, outputs);
    }

    private void send(ClientUpdate u, long time) {
        byte[] bytes = ClientUpdateCodec.encode(u, params.encoding());
        up += bytes.length;
        SourceRef ref = new SourceRef(Topics.CLIENT_UPDATES.name(), 0, offset++, u.serverId, bytes);
        at(time + hopMillis, () -> toServer(ServerInput.of(ReadBack.update(bytes), ref)));
    }

    /** A lock-step device answers once it is free and online and has trained. */
    private void answer(FederatedClient device, List<ClientUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        DevicePace pace = syncPaces.get(device.clientId());
        long start = pace.onlineFrom(Math.max(now, busyUntil.getOrDefault(device.clientId(), 0L)));
        long ready = start + pace.millisFor(device.localSteps());
        busyUntil.put(device.clientId(), ready);
        for (ClientUpdate u : updates) {
            send(u, ready);
        }
    }

    /** Lets an asynchronous device upload and start again; wakes it when its training is done. */
    private void poke(AsyncDevice d) {
        if (!d.pace().onlineAt(now)) {
            wake(d, d.pace().onlineFrom(now));
            return;
        }
        ClientUpdate u = d.poll(now);
        if (u != null) {
            send(u, now);
            d.poll(now); // starts on the newest model it has
        }
        if (d.readyAtMillis() > now) {
            wake(d, d.readyAtMillis());
        }
    }

    private void wake(AsyncDevice d, long time) {
        Long planned = nextPoke.get(d);
        if (planned == null || planned != time) {
            nextPoke.put(d, time);
            at(time, () -> poke(d));
        }
    }

    /** Routes a server's outputs through the clock, encoded as on the wire. */
    private final class Outputs implements ServerOutputs {
        @Override
        public void model(ServerModel m) {
            byte[] bytes = ServerModelCodec.encode(m, params.encoding());
            ServerModel seen = ReadBack.model(bytes);
            List<FederatedClient> sync = syncDevices.getOrDefault(m.serverId, List.of());
            List<AsyncDevice> async = asyncDevices.getOrDefault(m.serverId, List.of());
            down += (long) (sync.size() + async.size()) * bytes.length;
            at(
                    now + hopMillis,
                    () -> {
                        for (FederatedClient c : sync) {
                            answer(c, c.onServerModel(seen));
                        }
                        for (AsyncDevice d : async) {
                            d.onServerModel(seen);
                            poke(d);
                        }
                    });
        }

        @Override
        public void consensus(ConsensusMessage message) {
            byte[] bytes = ConsensusMessageCodec.encode(message, params.encoding());
            consensus += bytes.length;
            SourceRef ref = new SourceRef(Topics.CONSENSUS.name(), 0, offset++, message.to, bytes);
            at(now + hopMillis, () -> toServer(ServerInput.of(ReadBack.consensus(bytes), ref)));
        }

        @Override
        public void control(ControlEvent event) {
            byte[] bytes = ControlEventCodec.encode(event);
            List<FederatedClient> sync = syncDevices.getOrDefault(event.serverId, List.of());
            down += (long) sync.size() * bytes.length;
            at(
                    now + hopMillis,
                    () -> {
                        ControlEvent seen = ReadBack.control(bytes);
                        for (FederatedClient c : sync) {
                            answer(c, c.onControl(seen));
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
            String id = currentServer;
            at(
                    Math.max(atMillis, now),
                    () -> {
                        ServerState s = states.get(id);
                        currentServer = id;
                        server.onTimer(s, atMillis, topology, outputs, now);
                        server.armTimeouts(s, now, outputs);
                    });
        }
    }
}
