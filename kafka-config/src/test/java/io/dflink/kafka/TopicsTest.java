package io.dflink.kafka;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** topics.yaml is the single registry of the public topics; every topic has a JSON Schema. */
class TopicsTest {

    @Test
    void shouldDeclareEveryTopicOfTheContractOnce() {
        assertThat(Topics.all())
                .extracting(TopicSpec::name)
                .containsExactly(
                        "client-updates",
                        "topology",
                        "consensus",
                        "server-models",
                        "control",
                        "metrics",
                        "dead-letter");
        assertThat(Topics.CONSENSUS.under("dflink.")).isEqualTo("dflink.consensus");
    }

    @Test
    void shouldCompactTheTopologyTopic() {
        assertThat(Topics.TOPOLOGY.config()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldShipTheSchemaOfEveryTopic() {
        for (TopicSpec spec : Topics.all()) {
            assertThat(Topics.class.getResource("/schemas/" + spec.schema()))
                    .as("schema of %s", spec.name())
                    .isNotNull();
        }
    }
}
