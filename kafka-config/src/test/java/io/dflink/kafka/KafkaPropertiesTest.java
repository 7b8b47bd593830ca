package io.dflink.kafka;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The producer profiles: what the job, the SDK and the tools send with. */
class KafkaPropertiesTest {

    private static final Properties COMMON = KafkaProperties.common("localhost:9092", Map.of());

    @Test
    void shouldBatchBurstsInTheFleetProducerButNeverLinger() {
        Properties p = KafkaProperties.fleetProducer(COMMON);
        assertThat(p.get(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo("262144");
        assertThat(p.get(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo("0");
        assertThat(p.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo("true");
        assertThat(p.get("bootstrap.servers")).isEqualTo("localhost:9092");
    }

    @Test
    void shouldLetACallersBatchSizeWinWhileOtherProfilesKeepKafkasDefault() {
        Properties common =
                KafkaProperties.common(
                        "localhost:9092", Map.of(ProducerConfig.BATCH_SIZE_CONFIG, "16384"));
        assertThat(KafkaProperties.fleetProducer(common).get(ProducerConfig.BATCH_SIZE_CONFIG))
                .isEqualTo("16384");
        assertThat(KafkaProperties.byteProducer(COMMON))
                .doesNotContainKey(ProducerConfig.BATCH_SIZE_CONFIG);
        assertThat(KafkaProperties.lowLatencyProducer(COMMON))
                .doesNotContainKey(ProducerConfig.BATCH_SIZE_CONFIG);
    }
}
