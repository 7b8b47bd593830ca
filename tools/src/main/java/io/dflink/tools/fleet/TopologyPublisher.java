package io.dflink.tools.fleet;

import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.Topics;
import io.dflink.records.TopologyEvent;
import io.dflink.serde.TopologyEventCodec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** Publishes topology events to the {@code topology} topic, keyed for log compaction. */
public final class TopologyPublisher {

    private TopologyPublisher() {}

    public static void publish(Properties kafka, String topicPrefix, TopologyEvent event) {
        try (KafkaProducer<byte[], byte[]> p =
                new KafkaProducer<>(KafkaProperties.byteProducer(kafka))) {
            p.send(
                            new ProducerRecord<>(
                                    Topics.TOPOLOGY.under(topicPrefix),
                                    event.compactionKey().getBytes(StandardCharsets.UTF_8),
                                    TopologyEventCodec.encode(event)))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the topology", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the topology", e.getCause());
        }
    }
}
