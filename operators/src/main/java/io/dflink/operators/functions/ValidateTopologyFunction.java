package io.dflink.operators.functions;

import io.dflink.operators.core.TopologyHistory;
import io.dflink.records.DeadLetter;
import io.dflink.records.RejectReason;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.TopologyEventCodec;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes topology events and accepts only those that keep every graph from their effective round
 * on valid: with usable explicit weights, naming known servers, and connected unless disconnected
 * graphs are allowed (then an accepted split is reported to dead-letter as a note, and in every
 * server's metrics as {@code graphComponents}). It sees all topology events in order (one key),
 * keeps the accepted history, and dead-letters the rest with the reason.
 */
public final class ValidateTopologyFunction
        extends KeyedProcessFunction<String, SourceRef, TopologyEvent> {

    // ---- configuration ----
    private final boolean allowDisconnected;

    // ---- runtime ----
    private transient ValueState<TopologyHistory> history;

    public ValidateTopologyFunction(boolean allowDisconnected) {
        this.allowDisconnected = allowDisconnected;
    }

    @Override
    public void open(OpenContext openContext) {
        history =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("history", TopologyHistory.class));
    }

    @Override
    public void processElement(SourceRef raw, Context ctx, Collector<TopologyEvent> out)
            throws Exception {
        TopologyEvent change;
        try {
            change = TopologyEventCodec.decode(raw.bytes);
        } catch (InvalidEventException e) {
            ctx.output(OutputTags.DEAD_LETTERS, DeadLetter.of(e.reason(), e.getMessage(), raw));
            return;
        }
        TopologyHistory h = history.value() == null ? new TopologyHistory() : history.value();
        TopologyHistory.Rejection problem = h.problemWith(change, allowDisconnected);
        if (problem != null) {
            ctx.output(
                    OutputTags.DEAD_LETTERS,
                    DeadLetter.of(problem.reason(), problem.message(), raw));
            return;
        }
        h.apply(change);
        history.update(h);
        out.collect(change);
        int components = h.graphAt(change.effectiveRound).components();
        if (components > 1) {
            ctx.output(
                    OutputTags.DEAD_LETTERS,
                    DeadLetter.of(
                            RejectReason.DISCONNECTED_GRAPH,
                            "applied (disconnected graphs are allowed): from round "
                                    + change.effectiveRound
                                    + " the graph has "
                                    + components
                                    + " components, each converging on its own",
                            raw));
        }
    }
}
