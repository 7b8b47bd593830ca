package io.dflink.serde;

import io.dflink.records.ClientUpdate;
import io.dflink.records.RejectReason;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The binary update format as an outside client writes it: every record here is built byte by byte
 * from the layout in kafka-config/README.md (never by dflink's encoder), then decoded; dflink's
 * encoder must write the same bytes; every bad record gets its reason.
 */
class BinaryClientUpdateCodecTest {

    /** What the README's Python example prints: model of s0-c0 for s0, round 3, weight 20. */
    private static final String PYTHON_EXAMPLE =
            "df0101000300000000000000000000000573302d6330027330000000000000344000020000000000000000"
                    + "001240000000000000f43f";

    @Test
    void shouldReadTheReadmesPythonExample() throws Exception {
        byte[] bytes = HexFormat.of().parseHex(PYTHON_EXAMPLE);
        ClientUpdate u = ClientUpdateCodec.decode(bytes, 100);
        assertThat(u.type).isEqualTo("model");
        assertThat(u.clientId).isEqualTo("s0-c0");
        assertThat(u.serverId).isEqualTo("s0");
        assertThat(u.round).isEqualTo(3);
        assertThat(u.weight).isEqualTo(20.0);
        assertThat(u.factor).isNull();
        assertThat(u.vector).containsExactly(4.5, 1.25);
        assertThat(BinaryClientUpdateCodec.encode(u, false)).isEqualTo(bytes);
    }

    @Test
    void shouldReadAModelWithF32VectorsAndAFactor() throws Exception {
        byte[] bytes =
                new Bytes()
                        .header(1, 1, 7, 2)
                        .ids("c1", "s1")
                        .f64(3)
                        .u8('B')
                        .f32s(0.5f, -1.5f, 1e-3f)
                        .done();
        ClientUpdate u = ClientUpdateCodec.decode(bytes, 100);
        assertThat(u.round).isEqualTo(7);
        assertThat(u.step).isEqualTo(2);
        assertThat(u.factor).isEqualTo("B");
        assertThat(u.vector).containsExactly(0.5, -1.5, (double) 1e-3f);
        assertThat(BinaryClientUpdateCodec.encode(u, true)).isEqualTo(bytes);
    }

    @Test
    void shouldReadADelta() throws Exception {
        byte[] bytes =
                new Bytes()
                        .header(2, 0, 4, 0)
                        .ids("dev-ü", "s2")
                        .i64(12)
                        .f64(5)
                        .f64s(1, 2, 3)
                        .done();
        ClientUpdate u = ClientUpdateCodec.decode(bytes, 100);
        assertThat(u.isDelta()).isTrue();
        assertThat(u.clientId).isEqualTo("dev-ü");
        assertThat(u.baseVersion).isEqualTo(12);
        assertThat(u.weight).isEqualTo(5);
        assertThat(u.vector).containsExactly(1, 2, 3);
        assertThat(BinaryClientUpdateCodec.encode(u, false)).isEqualTo(bytes);
    }

    @Test
    void shouldReadAGradientWithItsTableMean() throws Exception {
        byte[] bytes =
                new Bytes()
                        .header(3, 0, 2, 5)
                        .ids("c", "s")
                        .f64(8)
                        .f64s(0.25, -0.5)
                        .f64s(0.1, 0.2)
                        .i64(40)
                        .done();
        ClientUpdate u = ClientUpdateCodec.decode(bytes, 100);
        assertThat(u.isGradient()).isTrue();
        assertThat(u.step).isEqualTo(5);
        assertThat(u.vector).containsExactly(0.25, -0.5);
        assertThat(u.tableMean).containsExactly(0.1, 0.2);
        assertThat(u.samples).isEqualTo(40);
        assertThat(BinaryClientUpdateCodec.encode(u, false)).isEqualTo(bytes);
    }

    @Test
    void shouldReadAnFdaStateAndMembership() throws Exception {
        byte[] state =
                new Bytes()
                        .header(4, 0, 1, 3)
                        .ids("c", "s")
                        .f64(0.75)
                        .f64(Double.NaN)
                        .f64s()
                        .done();
        ClientUpdate u = ClientUpdateCodec.decode(state, 100);
        assertThat(u.isFdaState()).isTrue();
        assertThat(u.sqNorm).isEqualTo(0.75);
        assertThat(u.projection).isNaN();
        assertThat(u.sketch).isEmpty();
        assertThat(BinaryClientUpdateCodec.encode(u, false)).isEqualTo(state);

        byte[] join = new Bytes().header(5, 0, 0, 0).ids("c", "s").done();
        assertThat(ClientUpdateCodec.decode(join, 100).type).isEqualTo("join");
        byte[] leave = new Bytes().header(6, 0, 9, 0).ids("c", "s").done();
        assertThat(ClientUpdateCodec.decode(leave, 100).type).isEqualTo("leave");
        assertThat(BinaryClientUpdateCodec.encode(ClientUpdateCodec.decode(leave, 100), false))
                .isEqualTo(leave);
    }

    @ParameterizedTest
    @EnumSource(VectorEncoding.class)
    void shouldRoundTripThroughTheFormatChoice(VectorEncoding encoding) throws Exception {
        ClientUpdate u = ClientUpdate.model("c9", "s9", 11, 4, new double[] {0.5, 2, -8});
        byte[] bytes = ClientUpdateCodec.encode(u, UpdateFormat.BINARY, encoding);
        assertThat(bytes[0]).isEqualTo(BinaryClientUpdateCodec.MAGIC);
        assertThat(bytes[3]).isEqualTo((byte) (encoding == VectorEncoding.F32 ? 1 : 0));
        assertThat(ClientUpdateCodec.decode(bytes, 10).vector).containsExactly(0.5, 2, -8);
        assertThat(
                        ClientUpdateCodec.decode(
                                        ClientUpdateCodec.encode(u, UpdateFormat.JSON, encoding),
                                        10)
                                .vector)
                .containsExactly(0.5, 2, -8);
    }

    @Test
    void shouldGiveEveryBadRecordItsReason() {
        byte[] good = model(new Bytes().header(1, 0, 1, 0).ids("c", "s")).done();
        expect(Arrays.copyOf(good, good.length - 3), RejectReason.MALFORMED_BINARY, "vector");
        expect(Arrays.copyOf(good, 3), RejectReason.MALFORMED_BINARY, "flags");
        expect(
                Arrays.copyOf(good, good.length + 2),
                RejectReason.MALFORMED_BINARY,
                "2 bytes after");
        expect(
                model(new Bytes().header(2, 0, 1, 0).version(2).ids("c", "s")).done(),
                RejectReason.MALFORMED_BINARY,
                "format version 2");
        expect(
                model(new Bytes().header(9, 0, 1, 0).ids("c", "s")).done(),
                RejectReason.UNKNOWN_TYPE,
                "type code 9");
        expect(
                model(new Bytes().header(1, 6, 1, 0).ids("c", "s")).done(),
                RejectReason.MALFORMED_BINARY,
                "reserved flag");
        expect(
                model(new Bytes().header(1, 0, -1, 0).ids("c", "s")).done(),
                RejectReason.INVALID_VALUE,
                "'round' must be >= 0");
        expect(
                model(new Bytes().header(1, 0, 1, -4).ids("c", "s")).done(),
                RejectReason.INVALID_VALUE,
                "'step' must be >= 0");
        expect(
                model(new Bytes().header(1, 0, 1, 0).ids("", "s")).done(),
                RejectReason.WRONG_TYPE,
                "'clientId' must be a non-empty string");
        expect(
                model(new Bytes().header(1, 0, 1, 0).u8(2).raw(0xC3, 0x28).ids1("s")).done(),
                RejectReason.MALFORMED_BINARY,
                "'clientId' is not valid UTF-8");
        expect(
                new Bytes().header(1, 0, 1, 0).ids("c", "s").f64(1).u8('C').f64s(1).done(),
                RejectReason.INVALID_VALUE,
                "factor");
        expect(
                new Bytes()
                        .header(1, 0, 1, 0)
                        .ids("c", "s")
                        .f64(1)
                        .u8(0)
                        .f64s(new double[11])
                        .done(),
                RejectReason.VECTOR_TOO_LARGE,
                "11 values, the limit is 10");
        expect(
                new Bytes().header(1, 0, 1, 0).ids("c", "s").f64(1).u8(0).i32(-1).done(),
                RejectReason.VECTOR_TOO_LARGE,
                "'vector'");
        expect(
                new Bytes().header(1, 0, 1, 0).ids("c", "s").f64(1).u8(0).i32(5).f64(1).done(),
                RejectReason.MALFORMED_BINARY,
                "ends inside field 'vector'");
    }

    @Test
    void shouldLeaveJsonToTheJsonCodec() throws Exception {
        byte[] json =
                "{\"type\":\"join\",\"clientId\":\"c\",\"serverId\":\"s\",\"round\":0}"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(BinaryClientUpdateCodec.isBinary(json)).isFalse();
        assertThat(ClientUpdateCodec.decode(json, 1).type).isEqualTo("join");
    }

    private static Bytes model(Bytes b) {
        return b.f64(1).u8(0).f64s(1, 2);
    }

    private static void expect(byte[] bytes, RejectReason reason, String inMessage) {
        InvalidEventException e =
                catchThrowableOfType(
                        InvalidEventException.class, () -> ClientUpdateCodec.decode(bytes, 10));
        assertThat(e).as("rejected").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(inMessage);
    }

    /** A record written field by field, little-endian, as the README's layout table says. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int version = 1;
        private byte[] pendingHeader;

        /** magic, version, type code, flags, round (i64), step (i32). */
        Bytes header(int type, int flags, long round, int step) {
            pendingHeader =
                    le(16).put((byte) 0xDF)
                            .put((byte) 0)
                            .put((byte) type)
                            .put((byte) flags)
                            .putLong(round)
                            .putInt(step)
                            .array();
            return this;
        }

        Bytes version(int v) {
            version = v;
            return this;
        }

        Bytes ids(String client, String server) {
            return ids1(client).ids1(server);
        }

        Bytes ids1(String id) {
            byte[] b = id.getBytes(StandardCharsets.UTF_8);
            return u8(b.length).raw(b);
        }

        Bytes u8(int v) {
            flushHeader();
            out.write(v);
            return this;
        }

        Bytes raw(int... bytes) {
            for (int b : bytes) {
                u8(b);
            }
            return this;
        }

        Bytes raw(byte[] bytes) {
            flushHeader();
            out.writeBytes(bytes);
            return this;
        }

        Bytes i32(int v) {
            return raw(le(4).putInt(v).array());
        }

        Bytes i64(long v) {
            return raw(le(8).putLong(v).array());
        }

        Bytes f64(double v) {
            return raw(le(8).putDouble(v).array());
        }

        Bytes f64s(double... v) {
            i32(v.length);
            for (double x : v) {
                f64(x);
            }
            return this;
        }

        Bytes f32s(float... v) {
            i32(v.length);
            for (float x : v) {
                raw(le(4).putFloat(x).array());
            }
            return this;
        }

        byte[] done() {
            flushHeader();
            return out.toByteArray();
        }

        private void flushHeader() {
            if (pendingHeader != null) {
                pendingHeader[1] = (byte) version;
                out.writeBytes(pendingHeader);
                pendingHeader = null;
            }
        }

        private static ByteBuffer le(int n) {
            return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
