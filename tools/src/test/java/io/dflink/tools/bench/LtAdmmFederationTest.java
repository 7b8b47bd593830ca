package io.dflink.tools.bench;

import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.admm.LtAdmmReference;
import io.dflink.operators.core.admm.VarianceReduction;
import io.dflink.operators.core.server.ServerParams;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;
import io.dflink.serde.VectorEncoding;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * LT-ADMM on the job's server state machine with gradient-streaming SDK clients ({@link
 * Federation}: every event encoded as on the wire) equals the single-process reference of
 * docs/algorithms.md §4b whose agents hold the same clients' samples: the servers' estimator
 * combines the clients exactly as one agent's would, SAGA tables included.
 */
class LtAdmmFederationTest {

    private static final int SERVERS = 4;
    private static final int CLIENTS = 2;
    private static final int ROUNDS = 4;

    @ParameterizedTest(name = "{0}, batch {1}")
    @CsvSource({"NONE, 0", "NONE, 8", "RESET, 8", "SAGA, 8"})
    void shouldMatchTheReferenceWithStreamingServers(VarianceReduction variance, int batch) {
        AdmmParams admm = new AdmmParams(0.05, 0.02, 1, 0.5, 3, batch, variance, 11);
        AdmmScenario scenario = new AdmmScenario(SERVERS, CLIENTS, 5);
        Map<String, double[]> streamed = new HashMap<>();
        List<ServerModel> models = new ArrayList<>();
        Federation federation =
                new Federation(
                        ServerParams.defaults(AdmmScenario.DIM)
                                .withClientsPerServer(CLIENTS)
                                .withLastRound(ROUNDS)
                                .withEncoding(VectorEncoding.F64)
                                .withAdmm(admm),
                        scenario.graph(),
                        scenario.clients());
        federation
                .onModel(
                        m -> {
                            models.add(m);
                            if (m.round == ROUNDS) {
                                streamed.put(m.serverId, m.vector);
                            }
                        })
                .run();
        assertThat(federation.rejected()).isEmpty();

        LtAdmmReference reference = scenario.reference(admm);
        for (int r = 0; r < ROUNDS; r++) {
            reference.runRound();
        }
        for (String s : scenario.servers()) {
            assertThat(streamed.get(s)).as(s).containsExactly(reference.agent(s).x(), within(1e-9));
            assertThat(federation.state(s).duals)
                    .allSatisfy(
                            (j, z) ->
                                    assertThat(z)
                                            .containsExactly(
                                                    reference.agent(s).z(j), within(1e-9)));
        }
        // per round and server: tau iterates published (the round's model and tau - 1 more)
        assertThat(models.stream().filter(m -> m.round == 1 && m.serverId.equals("s0")))
                .hasSize(admm.tau());
        for (RoundMetrics m : federation.metrics()) {
            assertThat(m.gradientUp.messages).isEqualTo((long) CLIENTS * admm.tau());
            assertThat(m.consensus.messages).as("one z-message per neighbour").isEqualTo(2);
            assertThat(m.localSteps).isEqualTo(admm.tau());
        }
    }
}
