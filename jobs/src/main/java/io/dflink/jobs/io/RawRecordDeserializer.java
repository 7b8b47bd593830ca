package io.dflink.jobs.io;

import io.dflink.operators.functions.SourceRefTypeInfo;
import io.dflink.records.SourceRef;
import io.dflink.security.ClientKeys;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * Keeps every Kafka record as it arrived ({@link SourceRef}: topic, partition, offset, key, bytes).
 * Decoding happens in an operator, so that a record that cannot be decoded is dead-lettered with
 * its origin instead of failing the source.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<SourceRef> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<SourceRef> out) {
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        byte[] value = r.value() == null ? new byte[0] : r.value();
        SourceRef ref = new SourceRef(r.topic(), r.partition(), r.offset(), key, value);
        Header signature = r.headers().lastHeader(ClientKeys.SIGNATURE_HEADER);
        ref.signature = signature == null ? null : signature.value();
        out.collect(ref);
    }

    @Override
    public TypeInformation<SourceRef> getProducedType() {
        return SourceRefTypeInfo.INSTANCE;
    }
}
