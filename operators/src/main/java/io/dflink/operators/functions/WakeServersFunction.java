package io.dflink.operators.functions;

import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Sends a wake-up to every server a graph names. A keyed server has no state, and so cannot be
 * reached by a topology broadcast, until some input arrives under its key; the wake-up is that
 * input, so each server publishes its initial model as soon as the topology names it.
 */
public final class WakeServersFunction implements FlatMapFunction<TopologyEvent, SourceRef> {

    @Override
    public void flatMap(TopologyEvent change, Collector<SourceRef> out) {
        if (change.isGraph()) {
            for (String server : change.servers) {
                out.collect(InputDecoder.wake(server));
            }
        }
    }
}
