package io.dflink.operators.functions;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.TopologyHistory;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Savepoints keep working when the code changes: the keyed server state and the broadcast topology
 * history, as a savepoint of release 0.1 holds them (the state's serializer snapshot, then one
 * serialized value, in {@code src/test/resources/state-compat/0.1/}), must still be readable by the
 * current classes, with every field's value intact. Flink's POJO serializer stores the class name
 * of every state type, its package included, so a state class that moves or is renamed fails here
 * first. Every field of the sample is filled ({@link #filled}), so a new field shows up as a
 * difference: when the state's schema changes on purpose (Flink migrates added and removed POJO
 * fields), say here what the old fixture lacks.
 *
 * <p>Regenerate the fixtures only for a new release's state: {@code ./mvnw -pl operators test
 * -Dtest=StateCompatibilityTest -Ddflink.writeStateFixtures=true} writes a new folder.
 */
class StateCompatibilityTest {

    private static final String RELEASE = "0.1";

    /**
     * Fields added since release 0.1, as {@code Class.field}: absent from its fixture, restored
     * with the value their class's constructor gives them, and left at it in the expected sample.
     * Empty it when writing the fixtures of a new release.
     */
    private static final Set<String> ADDED_SINCE_RELEASE =
            Set.of(
                    "ClientContribution.source",
                    "RoundMetrics.weightBounded",
                    "RoundMetrics.clipped",
                    "RoundMetrics.refused",
                    "RoundMetrics.discarded",
                    "RoundMetrics.clippedNeighbours",
                    "RoundMetrics.flushes",
                    "RoundMetrics.maxStaleness",
                    "RoundMetrics.meanStaleness",
                    "RoundMetrics.consensusTo",
                    "ClientUpdate.baseVersion",
                    "ServerState.async",
                    "ServerState.serverFda",
                    "RoundMetrics.serverSync",
                    "RoundMetrics.consensusRan",
                    "RoundMetrics.varianceEstimate",
                    "ConsensusMessage.origins");

    @Test
    void shouldRestoreTheServerStateOfRelease01() throws Exception {
        ServerState restored = restore("server-state", ServerState.class);
        assertThat(restored).usingRecursiveComparison().isEqualTo(filled(ServerState.class, 0));
    }

    @Test
    void shouldRestoreTheTopologyHistoryOfRelease01() throws Exception {
        TopologyHistory restored = restore("topology-history", TopologyHistory.class);
        assertThat(restored).usingRecursiveComparison().isEqualTo(filled(TopologyHistory.class, 0));
    }

    @Test
    @EnabledIfSystemProperty(named = "dflink.writeStateFixtures", matches = "true")
    void shouldWriteTheFixturesWhenAsked() throws Exception {
        write("server-state", ServerState.class);
        write("topology-history", TopologyHistory.class);
    }

    private static <T> T restore(String name, Class<T> type) throws IOException {
        byte[] bytes;
        try (InputStream in =
                StateCompatibilityTest.class.getResourceAsStream(
                        "/state-compat/" + RELEASE + "/" + name + ".bin")) {
            assertThat(in).as("fixture " + name).isNotNull();
            bytes = in.readAllBytes();
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<T> old =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        in, StateCompatibilityTest.class.getClassLoader());
        TypeSerializer<T> current = serializer(type);
        TypeSerializerSchemaCompatibility<T> compatibility =
                current.snapshotConfiguration().resolveSchemaCompatibility(old);
        assertThat(compatibility.isIncompatible()).as(name + ": " + compatibility).isFalse();
        return old.restoreSerializer().deserialize(in);
    }

    private static <T> void write(String name, Class<T> type) throws Exception {
        TypeSerializer<T> serializer = serializer(type);
        DataOutputSerializer out = new DataOutputSerializer(4096);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        serializer.serialize(filled(type, 0), out);
        Path file = Path.of("src/test/resources/state-compat", RELEASE, name + ".bin");
        Files.createDirectories(file.getParent());
        Files.write(file, out.getCopyOfBuffer());
    }

    private static <T> TypeSerializer<T> serializer(Class<T> type) {
        return Types.POJO(type).createSerializer(new SerializerConfigImpl());
    }

    /**
     * An instance with every field set to a value derived from its position, nested state objects,
     * lists and maps included (two entries each), so that the fixture exercises every serializer.
     */
    static <T> T filled(Class<T> type, int seed) throws Exception {
        T value = type.getDeclaredConstructor().newInstance();
        int n = seed;
        for (Field f : type.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod)
                    || Modifier.isTransient(mod)
                    || Modifier.isFinal(mod)
                    || ADDED_SINCE_RELEASE.contains(type.getSimpleName() + "." + f.getName())) {
                continue;
            }
            f.setAccessible(true);
            f.set(value, valueOf(f.getType(), f.getGenericType(), ++n, 0));
        }
        return value;
    }

    private static Object valueOf(Class<?> type, Type generic, int n, int depth) throws Exception {
        if (type == int.class || type == Integer.class) {
            return n;
        } else if (type == long.class || type == Long.class) {
            return 1_000L + n;
        } else if (type == double.class || type == Double.class) {
            return n + 0.25;
        } else if (type == float.class || type == Float.class) {
            return n + 0.5f;
        } else if (type == boolean.class || type == Boolean.class) {
            return n % 2 == 0;
        } else if (type == String.class) {
            return "v" + n;
        } else if (type == double[].class) {
            return new double[] {n, n + 0.5};
        } else if (type == float[].class) {
            return new float[] {n, n + 0.5f};
        } else if (type == byte[].class) {
            return new byte[] {(byte) n, 7};
        } else if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[n % constants.length];
        } else if (List.class.isAssignableFrom(type)) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                list.add(valueOf(raw(element), element, n * 10 + i, depth + 1));
            }
            return list;
        } else if (Map.class.isAssignableFrom(type)) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[1];
            Map<Object, Object> map = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                map.put("k" + n + i, valueOf(raw(element), element, n * 10 + i, depth + 1));
            }
            return map;
        } else if (depth < 4) {
            return filled(type, n * 100);
        }
        return null;
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }
}
