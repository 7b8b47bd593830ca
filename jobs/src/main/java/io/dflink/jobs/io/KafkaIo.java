package io.dflink.jobs.io;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.Recovery;
import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.TopicSpec;
import io.dflink.kafka.Topics;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.ControlEventCodec;
import io.dflink.serde.DeadLetterCodec;
import io.dflink.serde.RoundMetricsCodec;
import io.dflink.serde.ServerModelCodec;
import io.dflink.serde.VectorEncoding;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Properties;
import java.util.function.Consumer;

/**
 * The job's Kafka sources and sinks, built from {@link JobConfig} and the topic registry. The
 * consensus and control sinks are always at-least-once: the server drops re-delivered messages by
 * (from, round, step, kind), and a transactional loop would make every step wait for a checkpoint.
 * The output topics follow {@link Recovery#outputDelivery()}: at-least-once (records identical on
 * re-delivery, keyed for deduplication) or exactly-once through Kafka transactions committed with
 * checkpoints.
 */
public final class KafkaIo {

    private KafkaIo() {}

    /** Client updates and the consensus feedback stream, read by one source. */
    public static KafkaSource<SourceRef> inbound(JobConfig c) {
        return source(c, c.topic(Topics.CLIENT_UPDATES), c.topic(Topics.CONSENSUS));
    }

    public static KafkaSource<SourceRef> topology(JobConfig c) {
        return source(c, c.topic(Topics.TOPOLOGY));
    }

    private static KafkaSource<SourceRef> source(JobConfig c, String... topics) {
        Properties props = KafkaProperties.lowLatencyConsumer(c.kafkaCommon(), c.groupId());
        // the starting offsets below decide where to begin; the source warns if both are set
        props.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        return KafkaSource.<SourceRef>builder()
                .setProperties(props)
                .setTopics(topics)
                .setGroupId(c.groupId())
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer())
                .build();
    }

    public static Consumer<DataStream<ServerModel>> models(JobConfig c) {
        VectorEncoding enc = c.vectorEncoding();
        return sinkTo(
                c,
                Topics.SERVER_MODELS,
                m -> m.serverId,
                m -> ServerModelCodec.encode(m, enc),
                outputGuarantee(c));
    }

    public static Consumer<DataStream<ConsensusMessage>> consensus(JobConfig c) {
        // one encoder per sink writer: a server's iterate is encoded once for all its neighbours
        ConsensusMessageCodec.Encoder encoder =
                new ConsensusMessageCodec.Encoder(c.vectorEncoding());
        return sinkTo(
                c, Topics.CONSENSUS, m -> m.to, encoder::encode, DeliveryGuarantee.AT_LEAST_ONCE);
    }

    /**
     * FDA's decisions: always at-least-once, because clients wait for each one (a transaction would
     * hold every local step back by a checkpoint interval); clients ignore decisions for steps they
     * have passed, and a re-run decides the same.
     */
    public static Consumer<DataStream<ControlEvent>> control(JobConfig c) {
        return sinkTo(
                c,
                Topics.CONTROL,
                e -> e.serverId,
                ControlEventCodec::encode,
                DeliveryGuarantee.AT_LEAST_ONCE);
    }

    public static Consumer<DataStream<RoundMetrics>> metrics(JobConfig c) {
        return sinkTo(
                c, Topics.METRICS, m -> m.serverId, RoundMetricsCodec::encode, outputGuarantee(c));
    }

    public static Consumer<DataStream<DeadLetter>> deadLetters(JobConfig c) {
        return sinkTo(
                c, Topics.DEAD_LETTER, d -> d.key, DeadLetterCodec::encode, outputGuarantee(c));
    }

    private static DeliveryGuarantee outputGuarantee(JobConfig c) {
        return c.recovery().outputDelivery() == Recovery.OutputDelivery.EXACTLY_ONCE
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
    }

    /** Writes a stream to one topic; the sink's uid derives from the topic's relative name. */
    private static <T> Consumer<DataStream<T>> sinkTo(
            JobConfig c,
            TopicSpec topic,
            SerializableFunction<T, String> key,
            SerializableFunction<T, byte[]> value,
            DeliveryGuarantee guarantee) {
        JsonRecordSerializer<T> serializer = new JsonRecordSerializer<>(c.topic(topic), key, value);
        KafkaSink<T> sink = sink(c, serializer, guarantee, c.topic(topic) + "-" + c.jobName());
        return s -> s.sinkTo(sink).uid("sink-" + topic.name()).name(topic.name());
    }

    private static <T> KafkaSink<T> sink(
            JobConfig c,
            KafkaRecordSerializationSchema<T> schema,
            DeliveryGuarantee guarantee,
            String transactionalIdPrefix) {
        Properties producer = KafkaProperties.lowLatencyProducer(c.kafkaCommon());
        // below the broker's default transaction.max.timeout.ms (15 min); Flink asks for 1 h
        producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(c.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(schema)
                .build();
    }
}
