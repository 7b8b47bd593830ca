package io.dflink.serde;

import io.dflink.records.AdmmSettings;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.Edge;
import io.dflink.records.FdaSettings;
import io.dflink.records.LoraSettings;
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
            assertValid(
                    "client-update",
                    ClientUpdateCodec.encode(ClientUpdate.model("c", "s", 1, 4, 5, v), enc));
            assertValid(
                    "client-update",
                    ClientUpdateCodec.encode(
                            ClientUpdate.fdaState("c", "s", 1, 4, 0.5, Double.NaN, v), enc));
            assertValid(
                    "client-update",
                    ClientUpdateCodec.encode(
                            ClientUpdate.gradient("c", "s", 1, 2, 8, v, new double[0], 0), enc));
            ClientUpdate vr = ClientUpdate.gradient("c", "s", 1, 2, 8, v, v, 40);
            assertValid("client-update", ClientUpdateCodec.encode(vr, enc));
            ClientUpdate back = ClientUpdateCodec.decode(ClientUpdateCodec.encode(vr, enc), 10);
            assertThat(back.isGradient()).isTrue();
            assertThat(back.samples).isEqualTo(40);
            assertThat(back.tableMean).hasSize(2);
            ServerModel sync = new ServerModel("s", 3, v);
            sync.step = 7;
            assertValid("server-model", ServerModelCodec.encode(sync, enc));
        }
        assertValid(
                "client-update",
                ClientUpdateCodec.encode(
                        ClientUpdate.fdaState("c", "s", 1, 4, 0.5, -0.25, new double[0]),
                        VectorEncoding.ARRAY));
        ServerModel start = new ServerModel("s", 3, new double[] {1});
        start.fda = new FdaSettings();
        start.fda.variant = "LINEAR";
        start.fda.steps = 50;
        start.fda.period = 1;
        start.fda.seed = 1;
        start.fda.sketchDepth = 5;
        start.fda.sketchWidth = 250;
        assertValid("server-model", ServerModelCodec.encode(start, VectorEncoding.ARRAY));
        ServerModel admm = new ServerModel("s", 3, new double[] {1});
        admm.admm = new AdmmSettings();
        admm.admm.variance = "SAGA";
        admm.admm.tau = 5;
        admm.admm.batchSize = 8;
        admm.admm.seed = 1;
        byte[] admmJson = ServerModelCodec.encode(admm, VectorEncoding.ARRAY);
        assertValid("server-model", admmJson);
        assertThat(ServerModelCodec.decode(admmJson, 10).admm.variance).isEqualTo("SAGA");
        ServerModel lora = new ServerModel("s", 3, new double[] {0, 0, 0.5, -0.5});
        lora.lora = new LoraSettings();
        lora.lora.variant = "TAD_LORA";
        lora.lora.interval = 5;
        lora.lora.rank = 1;
        lora.lora.alpha = 2;
        lora.lora.rows = 2;
        lora.lora.cols = 2;
        lora.lora.linkProbability = 0.1;
        lora.lora.seed = 3;
        byte[] loraJson = ServerModelCodec.encode(lora, VectorEncoding.ARRAY);
        assertValid("server-model", loraJson);
        ServerModel loraBack = ServerModelCodec.decode(loraJson, 10);
        assertThat(loraBack.lora).usingRecursiveComparison().isEqualTo(lora.lora);
        ClientUpdate factorB = ClientUpdate.model("c", "s", 1, 5, new double[] {0.5, 1});
        factorB.factor = "B";
        byte[] factorJson = ClientUpdateCodec.encode(factorB, VectorEncoding.F32);
        assertValid("client-update", factorJson);
        assertThat(ClientUpdateCodec.decode(factorJson, 10).factor).isEqualTo("B");
        for (String kind :
                List.of(
                        ConsensusMessage.KIND_LORA_A,
                        ConsensusMessage.KIND_LORA_B,
                        ConsensusMessage.KIND_LORA_AB)) {
            assertValid(
                    "consensus-message",
                    ConsensusMessageCodec.encode(
                            new ConsensusMessage("a", "b", 1, 0, kind, new double[] {1}),
                            VectorEncoding.F32));
        }
        for (String type : List.of(ControlEvent.FDA_CONTINUE, ControlEvent.FDA_SYNC)) {
            assertValid(
                    "control-event",
                    ControlEventCodec.encode(new ControlEvent(type, "s0", 2, 3, 0.125)));
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
        rm.modelUp.add(3, 300);
        rm.syncs = 2;
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
        } else if (n.has("communication")) {
            return "round-metrics";
        } else if (n.has("type")) {
            return "control-event";
        }
        return "server-model";
    }

    private static void decodeWithCodec(String schema, byte[] json) throws Exception {
        switch (schema) {
            case "client-update" -> ClientUpdateCodec.decode(json, 10);
            case "topology-event" -> TopologyEventCodec.decode(json);
            case "consensus-message" -> ConsensusMessageCodec.decode(json, 10);
            case "dead-letter" -> DeadLetterCodec.decode(json);
            case "control-event" -> ControlEventCodec.decode(json);
            case "round-metrics" -> RoundMetricsCodec.decode(json);
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
