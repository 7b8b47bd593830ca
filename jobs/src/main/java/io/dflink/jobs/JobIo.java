package io.dflink.jobs;

import io.dflink.jobs.io.KafkaIo;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The sources and sinks {@link FederationTopology} is built on, passed in so that tests can supply
 * their own. {@link #kafka(JobConfig)} gives the production set. {@code inboundTap} is applied to
 * the raw inbound records before decoding: the identity in production; fault-injection tests put a
 * failing stage there.
 */
public record JobIo(
        Source<SourceRef, ?, ?> inbound,
        UnaryOperator<DataStream<SourceRef>> inboundTap,
        Source<SourceRef, ?, ?> topology,
        Consumer<DataStream<ServerModel>> models,
        Consumer<DataStream<ConsensusMessage>> consensus,
        Consumer<DataStream<ControlEvent>> control,
        Consumer<DataStream<RoundMetrics>> metrics,
        Consumer<DataStream<DeadLetter>> deadLetters) {

    public static JobIo kafka(JobConfig c) {
        return new JobIo(
                KafkaIo.inbound(c),
                UnaryOperator.identity(),
                KafkaIo.topology(c),
                KafkaIo.models(c),
                KafkaIo.consensus(c),
                KafkaIo.control(c),
                KafkaIo.metrics(c),
                KafkaIo.deadLetters(c));
    }

    /** The same sources and sinks with {@code tap} applied to the raw inbound records. */
    public JobIo withInboundTap(UnaryOperator<DataStream<SourceRef>> tap) {
        return new JobIo(inbound, tap, topology, models, consensus, control, metrics, deadLetters);
    }
}
