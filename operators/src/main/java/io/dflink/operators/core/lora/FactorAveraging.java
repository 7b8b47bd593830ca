package io.dflink.operators.core.lora;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.dfl.ModelAveraging;
import io.dflink.operators.core.robust.Aggregation;
import io.dflink.operators.core.robust.InfluenceBound;
import io.dflink.operators.core.server.ClientPhase;
import io.dflink.records.ClientUpdate;

/**
 * Decentralised LoRA's client phase: clients upload only the round's trained factor; its mean,
 * weighted by sample count (or its robust {@link Aggregation}, centred on the server's factor),
 * replaces that factor in the server's model and the frozen factor stays.
 */
public final class FactorAveraging extends ModelAveraging {

    private final LoraParams lora;

    public FactorAveraging(
            LoraParams lora, ClientPhase phase, Aggregation rule, InfluenceBound bound) {
        super(phase, rule, bound);
        this.lora = lora;
    }

    @Override
    public String name() {
        return lora.variant() + ", which takes only models of the trained factor";
    }

    @Override
    public boolean takes(ClientUpdate u) {
        return u.isModel() && LoraParams.factorNamed(u.factor) == lora.trained(u.round);
    }

    @Override
    protected double[] centre(ServerState s) {
        return lora.part(s.model, lora.trained(s.round));
    }

    @Override
    protected double[] result(ServerState s, double[] mean) {
        return lora.withPart(s.model, lora.trained(s.round), mean);
    }
}
