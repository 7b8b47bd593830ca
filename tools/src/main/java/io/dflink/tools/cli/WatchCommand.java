package io.dflink.tools.cli;

import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.KafkaProperties;
import io.dflink.kafka.Topics;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.serde.DeadLetterCodec;
import io.dflink.serde.InvalidEventException;
import io.dflink.serde.RoundMetricsCodec;
import io.dflink.serde.ServerModelCodec;
import io.dflink.tools.report.LoraRounds;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code dflink watch}: prints server models and dead letters as they appear on their topics. */
@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description =
                "Follows server-models and dead-letter and prints each event on one line; from"
                        + " metrics, each round in which bounded influence, a robust aggregator or"
                        + " clipped gossip acted, with the clients concerned; under decentralised"
                        + " LoRA also each round's cross term and disagreement over all servers.")
public final class WatchCommand implements Callable<Integer> {

    @Mixin KafkaOptions kafka = new KafkaOptions();

    @Option(
            names = "--from-beginning",
            description = "Start at the beginning of the topics instead of their end.")
    boolean fromBeginning;

    @Mixin DurationOption duration = new DurationOption();

    @Override
    public Integer call() {
        duration.check();
        Properties p =
                KafkaProperties.readOnlyConsumer(
                        kafka.connect(Topics.SERVER_MODELS, Topics.DEAD_LETTER, Topics.METRICS),
                        "dflink-watch");
        String models = Topics.SERVER_MODELS.under(kafka.topicPrefix());
        String dead = Topics.DEAD_LETTER.under(kafka.topicPrefix());
        String metrics = Topics.METRICS.under(kafka.topicPrefix());
        long end = duration.deadlineMillis();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : List.of(models, dead, metrics)) {
                for (PartitionInfo i : consumer.partitionsFor(topic)) {
                    parts.add(new TopicPartition(topic, i.partition()));
                }
            }
            consumer.assign(parts);
            if (fromBeginning) {
                consumer.seekToBeginning(parts);
            } else {
                consumer.seekToEnd(parts);
            }
            LoraRounds lora = new LoraRounds();
            while (System.currentTimeMillis() < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(metrics)) {
                        printRobustness(r.value());
                        continue;
                    }
                    System.out.println(
                            r.topic().equals(models) ? model(r.value()) : dead(r.value()));
                    if (r.topic().equals(models)) {
                        printLora(lora, r.value());
                    }
                }
            }
        }
        return 0;
    }

    private static String model(byte[] value) {
        try {
            ServerModel m = ServerModelCodec.decode(value, Integer.MAX_VALUE);
            String v =
                    m.vector.length <= 8 ? Arrays.toString(m.vector) : m.vector.length + " values";
            if (m.async != null && m.step > 0) {
                return String.format(
                        "buffer %-8s round %5d  version %5d  deltas %3d  %s",
                        m.serverId, m.round, m.version, m.clientsAggregated, v);
            }
            if (m.step > 0) {
                return String.format(
                        "sync   %-8s round %5d  step %4d  clients %3d  %s",
                        m.serverId, m.round, m.step, m.clientsAggregated, v);
            }
            return String.format(
                    "model  %-8s round %5d  clients %3d  consensus error %.1e  %s%s%s%s",
                    m.serverId,
                    m.round,
                    m.clientsAggregated,
                    m.consensusError,
                    v,
                    m.fda == null ? "" : "  (FDA " + m.fda.variant + ")",
                    m.lora == null ? "" : "  (" + m.lora.variant + ")",
                    m.last ? "  (last)" : "");
        } catch (InvalidEventException e) {
            return "model  (unreadable: " + e.getMessage() + ")";
        }
    }

    /** Under decentralised LoRA: the fleet-wide cross term and disagreement of each round. */
    private static void printLora(LoraRounds lora, byte[] value) {
        try {
            LoraRounds.Round r = lora.accept(ServerModelCodec.decode(value, Integer.MAX_VALUE));
            if (r != null) {
                System.out.printf(
                        "lora   round %5d  servers %3d  ||C_t|| %.3e  disagreement A %.3e  B %.3e%n",
                        r.round(),
                        r.servers(),
                        r.crossTerm(),
                        r.disagreementA(),
                        r.disagreementB());
            }
        } catch (InvalidEventException e) {
            // already reported as unreadable by model()
        }
    }

    /** A round in which a defence acted: whom it bounded, clipped, refused or discarded. */
    private static void printRobustness(byte[] value) {
        try {
            RoundMetrics m = RoundMetricsCodec.decode(value);
            StringBuilder line = new StringBuilder();
            note(line, "weight bounded", m.weightBounded);
            note(line, "clipped", m.clipped);
            note(line, "refused", m.refused);
            note(line, "discarded", m.discarded);
            note(line, "clipped neighbours", m.clippedNeighbours);
            if (line.length() > 0) {
                System.out.printf("guard  %-8s round %5d %s%n", m.serverId, m.round, line);
            }
        } catch (InvalidEventException e) {
            // metrics are for people; an unreadable one is skipped
        }
    }

    private static void note(StringBuilder line, String what, List<String> ids) {
        if (!ids.isEmpty()) {
            line.append("  ").append(what).append(' ').append(ids);
        }
    }

    private static String dead(byte[] value) {
        try {
            DeadLetter d = DeadLetterCodec.decode(value);
            return String.format(
                    "reject %-18s %s (%s[%d]@%d)",
                    d.reasonCode, d.reason, d.sourceTopic, d.partition, d.offset);
        } catch (InvalidEventException e) {
            return "reject (unreadable: " + e.getMessage() + ")";
        }
    }
}
