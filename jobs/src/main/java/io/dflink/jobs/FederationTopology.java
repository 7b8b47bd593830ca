package io.dflink.jobs;

import io.dflink.kafka.Topics;
import io.dflink.operators.functions.InputDecoder;
import io.dflink.operators.functions.OutputTags;
import io.dflink.operators.functions.ServerFunction;
import io.dflink.operators.functions.ValidateTopologyFunction;
import io.dflink.operators.functions.WakeServersFunction;
import io.dflink.records.DeadLetter;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The DFL dataflow, as named stages:
 *
 * <pre>
 * [client-updates]+[consensus] ---------+-> keyBy(record key) -> decode/validate + DFL server -> [server-models]
 * [topology] -> validate -> broadcast -/                          |  \-> [consensus] (the feedback loop)
 *                        \-> wake named servers                  \-> [control], [metrics], [dead-letter]
 * </pre>
 *
 * The loop is closed through Kafka: consensus messages written by the server are read back by the
 * inbound source, keyed by destination server. Records cross Flink's network raw, keyed by their
 * Kafka key (the addressed server, by contract); the keyed server task decodes and validates them,
 * so a vector is decoded once and never serialized again between operators.
 */
public final class FederationTopology {

    private FederationTopology() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config, JobIo io) {
        env.setBufferTimeout(config.bufferTimeoutMillis());
        DataStream<SourceRef> inputs = inboundRecords(env, io);
        SingleOutputStreamOperator<TopologyEvent> topology = validateTopology(env, config, io);
        DataStream<SourceRef> wakeUps = wakeServers(topology, inputs.getType());
        SingleOutputStreamOperator<ServerModel> models =
                runServers(
                        config, inputs.union(wakeUps), topology.broadcast(ServerFunction.TOPOLOGY));
        io.models().accept(models);
        io.consensus().accept(models.getSideOutput(OutputTags.CONSENSUS));
        io.control().accept(models.getSideOutput(OutputTags.CONTROL));
        io.metrics().accept(models.getSideOutput(OutputTags.METRICS));
        DataStream<DeadLetter> rejected =
                topology.getSideOutput(OutputTags.DEAD_LETTERS)
                        .union(models.getSideOutput(OutputTags.DEAD_LETTERS));
        io.deadLetters().accept(rejected);
    }

    private static DataStream<SourceRef> inboundRecords(StreamExecutionEnvironment env, JobIo io) {
        DataStream<SourceRef> raw =
                env.fromSource(
                                io.inbound(),
                                WatermarkStrategy.noWatermarks(),
                                OperatorIds.INBOUND_SOURCE_NAME)
                        .uid(OperatorIds.INBOUND_SOURCE_UID);
        return io.inboundTap().apply(raw);
    }

    private static SingleOutputStreamOperator<TopologyEvent> validateTopology(
            StreamExecutionEnvironment env, JobConfig c, JobIo io) {
        // one key, parallelism 1: every change is judged against the whole ordered history
        return env.fromSource(
                        io.topology(),
                        WatermarkStrategy.noWatermarks(),
                        OperatorIds.TOPOLOGY_SOURCE_NAME)
                .uid(OperatorIds.TOPOLOGY_SOURCE_UID)
                .setParallelism(1)
                .keyBy(r -> "topology")
                .process(new ValidateTopologyFunction(c.allowDisconnectedGraphs()))
                .uid(OperatorIds.VALIDATE_TOPOLOGY_UID)
                .name(OperatorIds.VALIDATE_TOPOLOGY_NAME)
                .setParallelism(1);
    }

    /** Wake-ups, typed as the inbound records are, so that the two streams can be united. */
    private static DataStream<SourceRef> wakeServers(
            DataStream<TopologyEvent> topology, TypeInformation<SourceRef> type) {
        return topology.flatMap(new WakeServersFunction())
                .returns(type)
                .uid(OperatorIds.WAKE_SERVERS_UID)
                .name(OperatorIds.WAKE_SERVERS_NAME)
                .setParallelism(1);
    }

    private static SingleOutputStreamOperator<ServerModel> runServers(
            JobConfig c, DataStream<SourceRef> inputs, BroadcastStream<TopologyEvent> topology) {
        InputDecoder decoder =
                new InputDecoder(
                        c.topic(Topics.CONSENSUS), c.dfl(), c.maxVectorLength(), c.clientKeys());
        return inputs.keyBy(decoder::route)
                .connect(topology)
                .process(new ServerFunction(c.dfl(), decoder, c.serverMetrics()))
                .uid(OperatorIds.SERVER_UID)
                .name(OperatorIds.SERVER_NAME)
                .setParallelism(c.parallelism());
    }
}
