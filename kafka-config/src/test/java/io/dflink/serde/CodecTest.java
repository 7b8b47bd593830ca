package io.dflink.serde;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.RejectReason;
import io.dflink.records.ServerModel;
import io.dflink.records.TopologyEvent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** JSON codecs: exact round trips, the three vector encodings, and a reason for every bad event. */
class CodecTest {

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(VectorEncoding.class)
    void shouldWriteWhatTheCodecWritesWhileEncodingASharedVectorOnce(VectorEncoding encoding) {
        ConsensusMessageCodec.Encoder encoder = new ConsensusMessageCodec.Encoder(encoding);
        double[] iterate = {1.5, -2.25, Double.MIN_VALUE, 1e300, 0.1};
        double[] other = {1.5, -2.25, Double.MIN_VALUE, 1e300, 0.2};
        java.util.List<ConsensusMessage> sent =
                java.util.List.of(
                        new ConsensusMessage("s1", "s0", 3, 1, "dfl-model", iterate),
                        new ConsensusMessage("s1", "s2", 3, 1, "dfl-model", iterate.clone()),
                        new ConsensusMessage("s1", "s0", 3, 2, "dfl-model", other),
                        new ConsensusMessage("s2", "s1", 4, 0, "dfl-model", iterate));
        for (ConsensusMessage m : sent) {
            assertThat(encoder.encode(m)).isEqualTo(ConsensusMessageCodec.encode(m, encoding));
        }
        iterate[4] = 7; // the same array with new values: never the cached encoding
        ConsensusMessage changed = new ConsensusMessage("s2", "s3", 4, 0, "dfl-model", iterate);
        assertThat(encoder.encode(changed))
                .isEqualTo(ConsensusMessageCodec.encode(changed, encoding));
    }

    @Test
    void binaryVectorsAreStandardPaddedBase64OfLittleEndianValues() {
        // expected strings from Python: base64.b64encode(struct.pack('<3d', 1.0, -2.5, 0.1))
        double[] v = {1.0, -2.5, 0.1};
        ClientUpdate u = ClientUpdate.model("c", "s", 0, 1, v);
        assertThat(
                        new String(
                                ClientUpdateCodec.encode(u, VectorEncoding.F64),
                                StandardCharsets.UTF_8))
                .contains("\"vector\":{\"f64\":\"AAAAAAAA8D8AAAAAAAAEwJqZmZmZmbk/\"}");
        assertThat(
                        new String(
                                ClientUpdateCodec.encode(u, VectorEncoding.F32),
                                StandardCharsets.UTF_8))
                .contains("\"vector\":{\"f32\":\"AACAPwAAIMDNzMw9\"}");
    }

    @Test
    void shouldRoundTripDoublesExactlyThroughJsonArrays() {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] v = new double[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.longBitsToDouble(rnd.nextLong()); // every bit pattern, all exponents
            if (!Double.isFinite(v[i])) {
                v[i] = i;
            }
        }
        v[0] = Double.MIN_VALUE;
        v[1] = -Double.MAX_VALUE;
        v[2] = 0.1 + 0.2;
        v[3] = -0.0;
        ServerModel m = new ServerModel("s1", 8, v);
        for (VectorEncoding enc : new VectorEncoding[] {VectorEncoding.ARRAY, VectorEncoding.F64}) {
            ServerModel back = decode(ServerModelCodec.encode(m, enc));
            assertThat(back.vector).as(enc.name()).isEqualTo(v);
        }
    }

    @Test
    void shouldCarryFloat32VectorsAtSinglePrecision() {
        double[] v = {1.0 / 3, 1e-3, -7.25};
        ClientUpdate u = ClientUpdate.model("c3", "s1", 7, 50, v);
        ClientUpdate back = decodeUpdate(ClientUpdateCodec.encode(u, VectorEncoding.F32));
        for (int i = 0; i < v.length; i++) {
            assertThat(back.vector[i]).isEqualTo((double) (float) v[i]);
        }
    }

    @Test
    void shouldReadTheDocumentedClientUpdateAsAnOutsideClientWritesIt() throws Exception {
        String json =
                "{\"type\":\"model\",\"clientId\":\"c3\",\"serverId\":\"s1\",\"round\":7,"
                        + "\"weight\":50,\"vector\":[4.99,2.01]}";
        ClientUpdate u = ClientUpdateCodec.decode(json.getBytes(StandardCharsets.UTF_8), 10);
        assertThat(u.clientId).isEqualTo("c3");
        assertThat(u.round).isEqualTo(7);
        assertThat(u.weight).isEqualTo(50);
        assertThat(u.vector).containsExactly(4.99, 2.01);

        byte[] le =
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putDouble(1.5)
                        .putDouble(-2)
                        .array();
        String binary =
                json.replace(
                        "[4.99,2.01]",
                        "{\"f64\":\"" + Base64.getEncoder().encodeToString(le) + "\"}");
        assertThat(ClientUpdateCodec.decode(binary.getBytes(StandardCharsets.UTF_8), 10).vector)
                .containsExactly(1.5, -2.0);
        // as an outside client may lay it out: whitespace inside the vector object
        String spaced =
                json.replace(
                        "[4.99,2.01]",
                        "{ \"f64\" :\n \"" + Base64.getEncoder().encodeToString(le) + "\"\t }");
        assertThat(ClientUpdateCodec.decode(spaced.getBytes(StandardCharsets.UTF_8), 10).vector)
                .containsExactly(1.5, -2.0);
    }

    @Test
    void shouldComputeEncodedSizesEqualToTheEncodedBytesInEveryEncoding() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int n : new int[] {0, 1, 2, 3, 7, 100}) {
            double[] v = new double[n];
            for (int k = 0; k < n; k++) {
                v[k] =
                        switch (k % 5) {
                            case 0 -> rnd.nextGaussian();
                            case 1 -> Math.rint(rnd.nextGaussian() * 10);
                            case 2 -> -0.0;
                            case 3 -> rnd.nextGaussian() * 1e-12;
                            default -> rnd.nextGaussian() * 1e20;
                        };
            }
            for (VectorEncoding enc : VectorEncoding.values()) {
                ServerModel m = new ServerModel("s1", 7, v);
                m.step = 3;
                m.consensusError = 1.5e-9;
                assertThat(ServerModelCodec.encodedSize(m, enc))
                        .as("%s, %d values", enc, n)
                        .isEqualTo(ServerModelCodec.encode(m, enc).length);
                ConsensusMessage c =
                        new ConsensusMessage("s0", "s1", 2, 4, ConsensusMessage.KIND_ADMM_Z, v);
                assertThat(ConsensusMessageCodec.encodedSize(c, enc))
                        .isEqualTo(ConsensusMessageCodec.encode(c, enc).length);
            }
        }
    }

    @Test
    void shouldReadFdaEventsAsAnOutsideClientWritesThem() throws Exception {
        String state =
                "{\"type\":\"fda-state\",\"clientId\":\"c3\",\"serverId\":\"s1\",\"round\":7,"
                        + "\"step\":12,\"sqNorm\":0.25,\"projection\":-0.125}";
        ClientUpdate u = ClientUpdateCodec.decode(state.getBytes(StandardCharsets.UTF_8), 10);
        assertThat(u.isFdaState()).isTrue();
        assertThat(u.step).isEqualTo(12);
        assertThat(u.sqNorm).isEqualTo(0.25);
        assertThat(u.projection).isEqualTo(-0.125);
        assertThat(u.sketch).isEmpty();
        assertThat(ClientUpdateCodec.encode(u, VectorEncoding.ARRAY))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(state);

        ControlEvent sync = new ControlEvent(ControlEvent.FDA_SYNC, "s1", 7, 12, 0.5);
        ControlEvent back = ControlEventCodec.decode(ControlEventCodec.encode(sync));
        assertThat(back).usingRecursiveComparison().isEqualTo(sync);
        assertThat(
                        catchThrowableOfType(
                                        InvalidEventException.class,
                                        () ->
                                                ControlEventCodec.decode(
                                                        "{\"type\":\"pause\",\"serverId\":\"s\",\"round\":0,\"step\":1}"
                                                                .getBytes(StandardCharsets.UTF_8)))
                                .reason())
                .isEqualTo(RejectReason.UNKNOWN_TYPE);

        ServerModel m = new ServerModel("s1", 7, new double[] {1, 2});
        m.step = 12;
        ServerModel model =
                ServerModelCodec.decode(ServerModelCodec.encode(m, VectorEncoding.F64), 10);
        assertThat(model.step).isEqualTo(12);
        assertThat(model.fda).isNull();
    }

    @Test
    void shouldParseNonFiniteNumbersSoThatValidationCanNameThem() throws Exception {
        String json =
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s1\",\"round\":0,"
                        + "\"weight\":1,\"vector\":[NaN,Infinity]}";
        assertThat(ClientUpdateCodec.decode(json.getBytes(StandardCharsets.UTF_8), 10).vector)
                .containsExactly(Double.NaN, Double.POSITIVE_INFINITY);
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":| MALFORMED_JSON",
                "not json at all| MALFORMED_JSON",
                "[1,2,3]| MALFORMED_JSON",
                "{\"type\":\"model\"} {}| MALFORMED_JSON",
                "{\"type\":\"gossip\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1]}| UNKNOWN_TYPE",
                "{\"type\":\"model\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1]}| MISSING_FIELD",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":\"7\",\"weight\":1,\"vector\":[1]}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":1.5,\"weight\":1,\"vector\":[1]}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":-1,\"weight\":1,\"vector\":[1]}| INVALID_VALUE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1,\"x\"]}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f64\":\"!!\"}}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f64\":\"AAA=\"}}| INVALID_VALUE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f64\":1}}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f16\":\"AAAA\"}}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f64\":\"AAAAAAAAAAA=\",\"x\":1}}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{}}| WRONG_TYPE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f64\":\"AAAAAAAAAAA=\"},\"vector\":[1]}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f32\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}}| VECTOR_TOO_LARGE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1,2,3,4,5,6]}| VECTOR_TOO_LARGE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"clientId\":\"d\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1]}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1],\"vector\":[2]}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1],\"vector\":{\"f64\":\"AAAAAAAAAAA=\"}}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":{\"f64\":\"AAAAAAAAAAA=\",\"f64\":\"AAAAAAAAAAA=\"}}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1],\"extra\":{\"a\":1,\"a\":2}}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1],\"extra\":[{\"a\":1},{\"b\":{\"c\":1,\"c\":1}}]}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"vector\":[1],\"extra\":{\"a\":1},\"note\":null,\"note\":1}| MALFORMED_JSON",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"factor\":\"C\",\"vector\":[1]}| INVALID_VALUE",
                "{\"type\":\"model\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"weight\":1,\"factor\":1,\"vector\":[1]}| WRONG_TYPE",
                "{\"type\":\"fda-state\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"sqNorm\":1}| MISSING_FIELD",
                "{\"type\":\"fda-state\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"step\":2}| MISSING_FIELD",
                "{\"type\":\"fda-state\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"step\":2,\"sqNorm\":\"x\"}| WRONG_TYPE",
                "{\"type\":\"fda-state\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0,\"step\":2,\"sqNorm\":1,\"sketch\":[1,2,3,4,5,6]}| VECTOR_TOO_LARGE",
            })
    void shouldRejectBadClientUpdatesWithASpecificReason(String json, RejectReason reason) {
        InvalidEventException e =
                catchThrowableOfType(
                        InvalidEventException.class,
                        () -> ClientUpdateCodec.decode(json.getBytes(StandardCharsets.UTF_8), 5));
        assertThat(e).as(json).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
    }

    @Test
    void shouldRoundTripTopologyEvents() throws Exception {
        String graph =
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\",\"s2\"],"
                        + "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"]],\"weights\":[0.25,0.5]}";
        TopologyEvent g = TopologyEventCodec.decode(graph.getBytes(StandardCharsets.UTF_8));
        assertThat(g.edges).extracting(e -> e.weight).containsExactly(0.25, 0.5);
        assertThat(TopologyEventCodec.decode(TopologyEventCodec.encode(g)).edges)
                .extracting(e -> e.weight)
                .containsExactly(0.25, 0.5);
        String edge =
                "{\"type\":\"edge\",\"a\":\"s1\",\"b\":\"s0\",\"up\":false,\"effectiveRound\":12}";
        TopologyEvent e = TopologyEventCodec.decode(edge.getBytes(StandardCharsets.UTF_8));
        assertThat(e.up).isFalse();
        assertThat(e.compactionKey()).isEqualTo("edge:s0:s1");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"type\":\"edge\",\"a\":\"s1\",\"b\":\"s1\",\"up\":true,\"effectiveRound\":0}| INVALID_TOPOLOGY",
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\"],\"edges\":[[\"s0\",\"s9\"]]}| INVALID_TOPOLOGY",
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s0\"]}| INVALID_TOPOLOGY",
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\"],\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s0\"]]}| INVALID_TOPOLOGY",
                "{\"type\":\"graph\",\"effectiveRound\":0,\"servers\":[\"s0\",\"s1\"],\"edges\":[[\"s0\",\"s1\"]],\"weights\":[]}| INVALID_TOPOLOGY",
                "{\"type\":\"ring\",\"effectiveRound\":0}| UNKNOWN_TYPE",
            })
    void shouldRejectBadTopologyEvents(String json, RejectReason reason) {
        InvalidEventException e =
                catchThrowableOfType(
                        InvalidEventException.class,
                        () -> TopologyEventCodec.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(e).as(json).isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
    }

    @Test
    void shouldRoundTripConsensusMessages() throws Exception {
        ConsensusMessage m =
                new ConsensusMessage(
                        "s0", "s1", 3, 7, ConsensusMessage.KIND_DFL_MODEL, new double[] {1.25, -3});
        ConsensusMessage back =
                ConsensusMessageCodec.decode(
                        ConsensusMessageCodec.encode(m, VectorEncoding.ARRAY), 10);
        assertThat(back.from).isEqualTo("s0");
        assertThat(back.step).isEqualTo(7);
        assertThat(back.vector).containsExactly(1.25, -3.0);
        assertThatThrownBy(
                        () ->
                                ConsensusMessageCodec.decode(
                                        "{\"from\":\"s0\"}".getBytes(StandardCharsets.UTF_8), 10))
                .isInstanceOf(InvalidEventException.class);
    }

    private static ServerModel decode(byte[] b) {
        try {
            return ServerModelCodec.decode(b, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    private static ClientUpdate decodeUpdate(byte[] b) {
        try {
            return ClientUpdateCodec.decode(b, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }
}
