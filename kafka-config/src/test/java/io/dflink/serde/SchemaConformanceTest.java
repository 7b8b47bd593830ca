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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void shouldAcceptEveryJsonExampleOfTheDocumentation() throws Exception {
        int checked = 0;
        for (Path doc : List.of(Path.of("README.md"), Path.of("..", "README.md"))) {
            for (String line : jsonExamples(Files.readString(doc))) {
                byte[] json = line.getBytes(StandardCharsets.UTF_8);
                String schema = schemaOf(MAPPER.readTree(json));
                assertValid(schema, json);
                decodeWithCodec(schema, json);
                checked++;
            }
        }
        assertThat(checked).as("examples found in the READMEs").isGreaterThanOrEqualTo(10);
    }

    /** Every line of every ```json block. */
    private static List<String> jsonExamples(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inBlock = line.trim().equals("```json");
            } else if (inBlock && !line.isBlank()) {
                lines.add(line.trim());
            }
        }
        return lines;
    }

    private static String schemaOf(JsonNode n) {
        if (n.has("reasonCode")) {
            return "dead-letter";
        } else if (n.has("clientId")) {
            return "client-update";
        } else if (n.has("effectiveRound")) {
            return "topology-event";
        } else if (n.has("from")) {
            return "consensus-message";
        }
        return "server-model";
    }

    private static void decodeWithCodec(String schema, byte[] json) throws Exception {
        switch (schema) {
            case "client-update" -> ClientUpdateCodec.decode(json, 10);
            case "topology-event" -> TopologyEventCodec.decode(json);
            case "consensus-message" -> ConsensusMessageCodec.decode(json, 10);
            case "dead-letter" -> DeadLetterCodec.decode(json);
            default -> ServerModelCodec.decode(json, 10);
        }
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
