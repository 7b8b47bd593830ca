package io.dflink.operators.functions;

import io.dflink.operators.core.Phase;
import io.dflink.operators.core.ServerInput;
import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;
import io.dflink.operators.core.server.Server;
import io.dflink.operators.core.server.ServerOutputs;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The server operator, keyed by server id: a thin shell around {@link Server}. It decodes and
 * validates each raw record ({@link InputDecoder}; rejects go straight to the dead letters), loads
 * the server's {@link ServerState}, lets the core handle the input against the broadcast topology
 * history, stores the state back, and routes outputs: models to the main output, consensus
 * messages, metrics and rejects to their side outputs ({@link OutputTags}). A topology change
 * resumes every server that was waiting for the graph to name it. Processing-time timers drive the
 * two optional timeouts: closing a round on a quorum of clients, and asking neighbours that have
 * not started a round's consensus to skip their link for it.
 */
public final class ServerFunction
        extends KeyedBroadcastProcessFunction<String, SourceRef, TopologyEvent, ServerModel> {

    /** Broadcast state: the whole topology history under one key. */
    public static final MapStateDescriptor<String, TopologyHistory> TOPOLOGY =
            new MapStateDescriptor<>("topology", Types.STRING, Types.POJO(TopologyHistory.class));

    private static final String HISTORY = "history";

    static final ValueStateDescriptor<ServerState> STATE =
            new ValueStateDescriptor<>("server", Types.POJO(ServerState.class));

    // ---- configuration ----
    private final ServerParams params;
    private final InputDecoder decoder;

    // ---- runtime ----
    private transient Server server;
    private transient ValueState<ServerState> state;
    private final MetricsDetail metricsDetail;
    private transient ServerMetrics serverMetrics;

    /**
     * The broadcast topology history, read once and then kept: only {@link
     * #processBroadcastElement} changes it, so a lookup of the broadcast state per record (a tenth
     * of a small update's cost) buys nothing. Null until a subtask has seen or restored one.
     */
    private transient TopologyHistory topology;

    public ServerFunction(ServerParams params, InputDecoder decoder) {
        this(params, decoder, MetricsDetail.EDGES);
    }

    public ServerFunction(ServerParams params, InputDecoder decoder, MetricsDetail metrics) {
        this.params = params;
        this.decoder = decoder;
        this.metricsDetail = metrics;
    }

    @Override
    public void open(OpenContext openContext) {
        server = new Server(params);
        state = getRuntimeContext().getState(STATE);
        serverMetrics = new ServerMetrics(getRuntimeContext().getMetricGroup(), metricsDetail);
    }

    @Override
    public void processElement(SourceRef raw, ReadOnlyContext ctx, Collector<ServerModel> out)
            throws Exception {
        ServerInput in = decoder.decode(raw, d -> reject(ctx::output, d));
        if (in == null) {
            return; // refused before it could touch any server's state
        }
        ServerState s = state.value() == null ? new ServerState() : state.value();
        TopologyHistory topo = topology(ctx);
        ServerOutputs outputs = outputs(out, ctx::output, ctx.timerService());
        server.onInput(s, in, topo, outputs, nowMillis());
        server.armTimeouts(s, ctx.timerService().currentProcessingTime(), outputs);
        if (s.phase == Phase.WAITING && s.waiting.isEmpty()) {
            state.clear(); // a key no graph names: keep no state for it
        } else {
            state.update(s);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServerModel> out)
            throws Exception {
        ServerState s = state.value();
        if (s == null) {
            return;
        }
        TopologyHistory topo = topology(ctx);
        ServerOutputs outputs = outputs(out, ctx::output, ctx.timerService());
        server.onTimer(s, timestamp, topo, outputs, nowMillis());
        server.armTimeouts(s, ctx.timerService().currentProcessingTime(), outputs);
        state.update(s);
    }

    @Override
    public void processBroadcastElement(
            TopologyEvent change, Context ctx, Collector<ServerModel> out) throws Exception {
        TopologyHistory topo = ctx.getBroadcastState(TOPOLOGY).get(HISTORY);
        if (topo == null) {
            topo = new TopologyHistory();
        }
        topo.apply(change);
        ctx.getBroadcastState(TOPOLOGY).put(HISTORY, topo);
        topology = topo;
        TopologyHistory current = topo;
        // a topology change asks for no timer: the server's next input or timer arms what it needs
        ServerOutputs outputs = outputs(out, ctx::output, null);
        ctx.applyToKeyedState(
                STATE,
                (key, keyed) -> {
                    ServerState s = keyed.value();
                    server.onTopologyChange(s, current, outputs, nowMillis());
                    keyed.update(s);
                });
    }

    private TopologyHistory topology(ReadOnlyContext ctx) throws Exception {
        if (topology == null) {
            topology = ctx.getBroadcastState(TOPOLOGY).get(HISTORY);
        }
        return topology;
    }

    private void reject(SideOutput side, DeadLetter d) {
        serverMetrics.deadLetter(d.reasonCode);
        side.output(OutputTags.DEAD_LETTERS, d);
    }

    private static double nowMillis() {
        return System.nanoTime() / 1e6;
    }

    /** Side-output emitter of both contexts (they share no interface for it). */
    private interface SideOutput {
        <X> void output(OutputTag<X> tag, X value);
    }

    /** The outputs of one call; {@code timers} is null on the broadcast side, which has none. */
    private ServerOutputs outputs(
            Collector<ServerModel> out, SideOutput side, TimerService timers) {
        return new ServerOutputs() {
            @Override
            public void model(ServerModel model) {
                serverMetrics.model(model);
                out.collect(model);
            }

            @Override
            public void consensus(ConsensusMessage message) {
                side.output(OutputTags.CONSENSUS, message);
            }

            @Override
            public void control(ControlEvent event) {
                side.output(OutputTags.CONTROL, event);
            }

            @Override
            public void metrics(RoundMetrics metrics) {
                serverMetrics.add(metrics, nowMillis());
                side.output(OutputTags.METRICS, metrics);
            }

            @Override
            public void reject(DeadLetter deadLetter) {
                ServerFunction.this.reject(side, deadLetter);
            }

            @Override
            public void timer(long atMillis) {
                if (timers == null) {
                    throw new IllegalStateException("no timers on the topology's broadcast side");
                }
                timers.registerProcessingTimeTimer(atMillis);
            }
        };
    }
}
