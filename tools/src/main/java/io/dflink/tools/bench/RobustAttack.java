package io.dflink.tools.bench;

import io.dflink.clients.FederatedClient;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Byzantine devices for the robust-aggregation benchmark: the devices in {@code byzantine} answer
 * each model w with a manipulated update instead of their honest model u (Δ = u − w):
 *
 * <ul>
 *   <li>{@link Kind#SIGN_FLIP}: w − 4Δ, the honest step reversed and amplified;
 *   <li>{@link Kind#LARGE_NOISE}: w plus Gaussian noise of 100 times the honest step's norm;
 *   <li>{@link Kind#INFLATED_WEIGHT}: w − Δ with a declared weight 1000 times its sample count;
 *   <li>{@link Kind#LITTLE_IS_ENOUGH}: the colluders' "a little is enough" (Baruch et al., NeurIPS
 *       2019): per coordinate μ − zσ of the round's honest models at that server, z = 1 — inside
 *       the honest spread, so distance-based defences do not see it.
 * </ul>
 *
 * The attackers are omniscient about their own server's round: honest devices answer first (the
 * benchmark puts the Byzantine ones last), and their updates are recorded here.
 */
public final class RobustAttack implements Federation.Tampering {

    /** How a Byzantine device lies. */
    public enum Kind {
        SIGN_FLIP,
        LARGE_NOISE,
        INFLATED_WEIGHT,
        LITTLE_IS_ENOUGH
    }

    private static final double FLIP = 4;
    private static final double NOISE = 100;
    private static final double WEIGHT = 1000;
    private static final double Z = 1;

    private final Kind kind;
    private final Set<String> byzantine;
    private final SplittableRandom rnd;
    private final Map<String, List<double[]>> honest = new HashMap<>();

    public RobustAttack(Kind kind, Set<String> byzantine, long seed) {
        this.kind = kind;
        this.byzantine = byzantine;
        this.rnd = new SplittableRandom(seed);
    }

    @Override
    public List<ClientUpdate> answer(
            ServerModel model, FederatedClient device, List<ClientUpdate> updates) {
        String round = model.serverId + "/" + model.round;
        if (!byzantine.contains(device.clientId())) {
            for (ClientUpdate u : updates) {
                if (u.isModel()) {
                    honest.computeIfAbsent(round, k -> new ArrayList<>()).add(u.vector);
                }
            }
            return updates;
        }
        honest.keySet().removeIf(k -> k.startsWith(model.serverId + "/") && !k.equals(round));
        List<ClientUpdate> lies = new ArrayList<>();
        for (ClientUpdate u : updates) {
            lies.add(u.isModel() ? lie(u, model.vector, honest.getOrDefault(round, List.of())) : u);
        }
        return lies;
    }

    private ClientUpdate lie(ClientUpdate u, double[] w, List<double[]> seen) {
        int d = w.length;
        double[] v = new double[d];
        double weight = u.weight;
        switch (kind) {
            case SIGN_FLIP -> {
                for (int j = 0; j < d; j++) {
                    v[j] = w[j] - FLIP * (u.vector[j] - w[j]);
                }
            }
            case LARGE_NOISE -> {
                double[] g = new double[d];
                double gn = 0;
                double step = 0;
                for (int j = 0; j < d; j++) {
                    g[j] = gaussian();
                    gn += g[j] * g[j];
                    step += (u.vector[j] - w[j]) * (u.vector[j] - w[j]);
                }
                double scale = NOISE * Math.sqrt(step / gn);
                for (int j = 0; j < d; j++) {
                    v[j] = w[j] + scale * g[j];
                }
            }
            case INFLATED_WEIGHT -> {
                for (int j = 0; j < d; j++) {
                    v[j] = w[j] - (u.vector[j] - w[j]);
                }
                weight = WEIGHT * u.weight;
            }
            case LITTLE_IS_ENOUGH -> {
                List<double[]> base = seen.isEmpty() ? List.of(u.vector) : seen;
                for (int j = 0; j < d; j++) {
                    double mean = 0;
                    for (double[] x : base) {
                        mean += x[j] / base.size();
                    }
                    double var = 0;
                    for (double[] x : base) {
                        var += (x[j] - mean) * (x[j] - mean) / base.size();
                    }
                    v[j] = mean - Z * Math.sqrt(var);
                }
            }
        }
        return ClientUpdate.model(u.clientId, u.serverId, u.round, weight, v);
    }

    /** A standard normal draw (Box–Muller), from the attack's own seeded stream. */
    private double gaussian() {
        double a = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
