package io.dflink.serde;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.DeadLetter;
import io.dflink.records.Edge;
import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.records.SourceRef;
import io.dflink.records.TopologyEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schemas and the codecs agree: what the job writes validates against its
 * schema, and the README's example events validate and decode.
 */
class SchemaConformanceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY =
            JsonSchemaFactory.getInstance(
                    SpecVersion.VersionFlag.V202012,
                    b ->
                            b.schemaMappers(
                                    m ->
                                            m.mapPrefix(
                                                    "https://dflink.io/schemas/",
                                                    "classpath:schemas/")));

    @Test
    void shouldValidateEverythingTheCodecsWrite() throws Exception {
        double[] v = {1.5, -2.25};
        for (VectorEncoding enc : VectorEncoding.values()) {
            assertValid(
                    "client-update",
                    ClientUpdateCodec.encode(ClientUpdate.model("c", "s", 1, 5, v), enc));
            assertValid(
                    "consensus-message",
                    ConsensusMessageCodec.encode(
                            new ConsensusMessage(
                                    "a", "b", 1, 2, ConsensusMessage.KIND_DFL_MODEL, v),
                            enc));
            assertValid("server-model", ServerModelCodec.encode(new ServerModel("s", 3, v), enc));
        }
        assertValid(
                "topology-event",
                TopologyEventCodec.encode(
                        TopologyEvent.graph(
                                0, List.of("s0", "s1"), List.of(new Edge("s0", "s1")))));
        assertValid(
                "topology-event",
                TopologyEventCodec.encode(TopologyEvent.edge(4, new Edge("s0", "s1"), false)));
        RoundMetrics rm = new RoundMetrics();
        rm.serverId = "s0";
        rm.stepMillis = new double[] {1.5};
        assertValid("round-metrics", RoundMetricsCodec.encode(rm));
        assertValid(
                "dead-letter",
                DeadLetterCodec.encode(
                        DeadLetter.of(
                                RejectReason.NON_FINITE,
                                "vector[0] is NaN",
                                new SourceRef("t", 1, 2, "s1", new byte[] {(byte) 0xff}))));
    }

    @Test
    void shouldAcceptTheReadmeExamples() throws Exception {
        String update =
                "{\"type\":\"model\",\"clientId\":\"c3\",\"serverId\":\"s1\",\"round\":7,\"weight\":50,\"vector\":[4.99,2.01]}";
        String graph =
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\"],\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s0\"]]}";
        String edge =
                "{\"type\":\"edge\",\"a\":\"s0\",\"b\":\"s1\",\"up\":false,\"effectiveRound\":12}";
        assertValid("client-update", update.getBytes(StandardCharsets.UTF_8));
        assertValid("topology-event", graph.getBytes(StandardCharsets.UTF_8));
        assertValid("topology-event", edge.getBytes(StandardCharsets.UTF_8));
        ClientUpdateCodec.decode(update.getBytes(StandardCharsets.UTF_8), 10);
        TopologyEventCodec.decode(graph.getBytes(StandardCharsets.UTF_8));
        TopologyEventCodec.decode(edge.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRejectWhatTheSchemaRejects() throws Exception {
        String noVector =
                "{\"type\":\"model\",\"clientId\":\"c3\",\"serverId\":\"s1\",\"round\":7,\"weight\":50}";
        assertThat(validate("client-update", noVector.getBytes(StandardCharsets.UTF_8)))
                .isNotEmpty();
    }

    private static void assertValid(String schema, byte[] json) throws Exception {
        assertThat(validate(schema, json)).as(new String(json, StandardCharsets.UTF_8)).isEmpty();
    }

    private static Set<ValidationMessage> validate(String schema, byte[] json) throws Exception {
        JsonSchema s =
                FACTORY.getSchema(
                        SchemaLocation.of("https://dflink.io/schemas/" + schema + ".schema.json"));
        JsonNode node = MAPPER.readTree(json);
        return s.validate(node);
    }
}
