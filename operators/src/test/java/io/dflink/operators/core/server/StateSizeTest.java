package io.dflink.operators.core.server;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.testing.DflSimulation;
import io.dflink.operators.core.testing.DflSimulation.ClientData;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Old-round state is cleaned up: the keyed state of a server, serialized by Flink's own POJO
 * serializer exactly as a checkpoint stores it, stays flat over 200 rounds (with links flapping
 * every few rounds), instead of growing with the rounds.
 */
class StateSizeTest {

    @Test
    void shouldKeepEveryServersStateFlatOver200Rounds() {
        int m = 5;
        long rounds = 200;
        Map<String, List<ClientData>> clients = DflOracleTest.heterogeneousClients(m, 3, 8);
        ServerParams p =
                ServerParams.defaults(2)
                        .withConsensusSteps(5)
                        .withClientsPerServer(3)
                        .withLastRound(rounds);
        DflSimulation sim = new DflSimulation(p, DflOracleTest.ring(m), clients, 0.05, 10, 5L);
        for (long r = 10; r < rounds; r += 10) {
            sim.applyTopology(
                    io.dflink.records.TopologyEvent.edge(
                            r, new io.dflink.records.Edge("s0", "s2"), (r / 10) % 2 == 1));
        }
        TypeSerializer<ServerState> serializer =
                TypeInformation.of(ServerState.class).createSerializer(new SerializerConfigImpl());
        Map<Long, Integer> maxBytesByRound = new TreeMap<>();
        sim.onModel =
                (model, state) ->
                        maxBytesByRound.merge(model.round, bytes(serializer, state), Math::max);

        sim.run();

        assertThat(maxBytesByRound).hasSize((int) rounds + 1);
        // buffered early messages make single rounds vary; growth would show between windows
        int first = maxOver(maxBytesByRound, 1, 50);
        int last = maxOver(maxBytesByRound, 150, 199);
        System.out.printf(
                "state bytes per server (max): rounds 1-50 %d, rounds 150-199 %d%n", first, last);
        assertThat(last).isLessThanOrEqualTo(first);
        assertThat(first).isLessThan(2_000);
    }

    private static int maxOver(Map<Long, Integer> bytes, long from, long to) {
        int max = 0;
        for (long r = from; r <= to; r++) {
            max = Math.max(max, bytes.get(r));
        }
        return max;
    }

    private static int bytes(TypeSerializer<ServerState> serializer, ServerState s) {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        try {
            serializer.serialize(s, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.length();
    }
}
