package io.dflink.tools.report;

import io.dflink.operators.core.lora.LoraFactors;
import io.dflink.operators.core.lora.LoraMixing;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fleet-wide quantities decentralised LoRA is judged by (docs/algorithms.md §2f-g), from the
 * servers' published models: for each round, once every server seen at the start has published it,
 * the cross term ||C_t||_F = ||(1/m) sum_i (B_i - Bbar)(A_i - Abar)||_F and the disagreement ||X -
 * J X||_F of A and of B. No single server can compute them; anything that reads {@code
 * server-models} can.
 */
public final class LoraRounds {

    /** One round over all servers. */
    public record Round(
            long round,
            int servers,
            double crossTerm,
            double disagreementA,
            double disagreementB) {}

    /** Rounds kept waiting for a server that may never publish them. */
    private static final int MAX_OPEN_ROUNDS = 100;

    private final TreeSet<String> servers = new TreeSet<>();
    private final TreeMap<Long, Map<String, double[]>> byRound = new TreeMap<>();
    private LoraParams params;
    private long firstRound = -1;

    /**
     * Takes a server model; returns the round it completes, or null. The servers are those that
     * published the first LoRA round seen; the last model of a run (which carries no settings)
     * counts with the latest settings.
     */
    public Round accept(ServerModel m) {
        if (m.step > 0) {
            return null;
        }
        if (m.lora != null) {
            params = LoraParams.fromSettings(m.lora);
            if (firstRound < 0 || m.round == firstRound) {
                firstRound = m.round;
                servers.add(m.serverId);
            }
        }
        LoraParams p = params;
        if (p == null || !servers.contains(m.serverId) || m.vector.length != p.dim()) {
            return null;
        }
        Map<String, double[]> round = byRound.computeIfAbsent(m.round, r -> new TreeMap<>());
        round.put(m.serverId, m.vector);
        if (round.size() < servers.size() || m.round == firstRound) {
            return null;
        }
        byRound.remove(m.round);
        byRound.headMap(m.round - MAX_OPEN_ROUNDS).clear();
        List<LoraFactors> factors = new ArrayList<>();
        for (double[] v : round.values()) {
            factors.add(p.factors(v));
        }
        return new Round(
                m.round,
                factors.size(),
                LoraMixing.frobenius(LoraMixing.crossTerm(factors)),
                LoraMixing.disagreement(factors, true),
                LoraMixing.disagreement(factors, false));
    }
}
