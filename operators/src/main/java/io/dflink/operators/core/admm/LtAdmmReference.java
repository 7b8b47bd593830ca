package io.dflink.operators.core.admm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * LT-ADMM(-VR) in one process, round by round, exactly as docs/algorithms.md §4b writes it: every
 * agent freezes its penalty (L0), takes tau local steps on its gradient estimate (L2), then every
 * directed edge carries m_{i->j} = z_ij - 2 rho x_i (L4) and z_ij is relaxed on receipt (L5).
 * Agents get their estimate from their {@link GradientShard}s, so a run whose agents hold their
 * samples in several shards is the reference of the streaming job, where each shard is a device.
 * Edge variables start at rho (x_i + x_j) / 2.
 */
public final class LtAdmmReference {

    /** One agent: its shards, neighbours, iterate and edge variables (by neighbour id). */
    public static final class Agent {
        final List<GradientShard> shards;
        final List<String> neighbours;
        double[] x;
        final Map<String, double[]> z = new TreeMap<>();

        Agent(List<GradientShard> shards, List<String> neighbours, double[] x) {
            this.shards = shards;
            this.neighbours = neighbours;
            this.x = x;
        }

        public double[] x() {
            return x;
        }

        /** z_ij for neighbour j. */
        public double[] z(String j) {
            return z.get(j);
        }
    }

    private final AdmmParams params;
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private int round;

    /** Agents with their shards and neighbour lists (symmetric), all starting at {@code x0}. */
    public LtAdmmReference(
            AdmmParams params,
            Map<String, List<GradientShard>> shards,
            Map<String, List<String>> neighbours,
            double[] x0) {
        this.params = params;
        for (String id : shards.keySet()) {
            agents.put(id, new Agent(shards.get(id), List.copyOf(neighbours.get(id)), x0.clone()));
        }
    }

    public Agent agent(String id) {
        return agents.get(id);
    }

    public Map<String, Agent> agents() {
        return agents;
    }

    /** Rounds run so far. */
    public int rounds() {
        return round;
    }

    /** One round of every agent, then the z-exchange on every edge. */
    public void runRound() {
        Map<String, double[]> next = new LinkedHashMap<>();
        for (Map.Entry<String, Agent> e : agents.entrySet()) {
            next.put(e.getKey(), localPhase(e.getValue()));
        }
        Map<String, Map<String, double[]>> inbox = new LinkedHashMap<>();
        for (Map.Entry<String, Agent> e : agents.entrySet()) {
            for (String j : e.getValue().neighbours) {
                double[] zij = e.getValue().z.get(j);
                double[] x = next.get(e.getKey());
                inbox.computeIfAbsent(j, k -> new TreeMap<>())
                        .put(e.getKey(), zij == null ? x.clone() : LtAdmm.message(params, zij, x));
            }
        }
        for (Map.Entry<String, Agent> e : agents.entrySet()) {
            Agent a = e.getValue();
            a.x = next.get(e.getKey());
            for (Map.Entry<String, double[]> m :
                    inbox.getOrDefault(e.getKey(), Map.of()).entrySet()) {
                double[] zij = a.z.get(m.getKey());
                if (zij == null) {
                    a.z.put(m.getKey(), LtAdmm.newEdge(params, a.x, m.getValue()));
                } else {
                    LtAdmm.receive(params, zij, m.getValue());
                }
            }
        }
        round++;
    }

    /** L0-L3: the agent's tau local steps from x_k with the frozen penalty. */
    private double[] localPhase(Agent a) {
        double[] c = LtAdmm.frozenPenalty(params, a.x, a.z.values());
        double[] phi = a.x.clone();
        for (int t = 0; t < params.tau(); t++) {
            List<GradientShard.Contribution> parts = new ArrayList<>();
            for (GradientShard s : a.shards) {
                parts.add(s.contribute(params.variance(), phi, t == 0));
            }
            LtAdmm.localStep(params, phi, GradientShard.combine(parts, phi.length), c);
        }
        return phi;
    }
}
