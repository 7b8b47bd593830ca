package io.dflink.operators.core.lora;

import io.dflink.operators.core.ServerState;
import io.dflink.operators.core.dfl.GossipExchange;
import io.dflink.operators.core.math.Vec;
import io.dflink.operators.core.server.Exchange;
import io.dflink.records.ConsensusMessage;

import java.util.List;

/**
 * Decentralised LoRA's server phase (docs/algorithms.md §2b step 3): one mixing step per round over
 * the round's active links, X_i <- W_ii X_i + sum_j W_ij X_j for the factors the variant mixes in
 * the round (both for TAD-LoRA and LoRA, the trained one for the others); the other factor stays as
 * the client phase left it. Messages carry only the mixed factors ({@code lora-a}, {@code lora-b},
 * {@code lora-ab}), which halves the bytes of the active-only variants.
 */
public final class LoraExchange implements Exchange {

    private final LoraParams params;
    private final double clipRadius;

    /**
     * Mixing clipped at {@code clipRadius} per neighbour, as {@link GossipExchange}'s (0: plain).
     */
    public LoraExchange(LoraParams params, double clipRadius) {
        this.params = params;
        this.clipRadius = clipRadius;
    }

    @Override
    public int steps() {
        return 1;
    }

    @Override
    public boolean accepts(ConsensusMessage m) {
        return LoraParams.consensusKind(params.mixed(m.round)).equals(m.kind);
    }

    @Override
    public ConsensusMessage messageTo(ServerState s, String neighbour) {
        LoraVariant.Factor mixed = params.mixed(s.round);
        return new ConsensusMessage(
                s.serverId,
                neighbour,
                s.round,
                s.step,
                LoraParams.consensusKind(mixed),
                params.part(s.mix, mixed));
    }

    @Override
    public void apply(ServerState s, List<ConsensusMessage> received) {
        LoraVariant.Factor mixed = params.mixed(s.round);
        double[] own = params.part(s.mix, mixed);
        double max = 0;
        for (ConsensusMessage m : received) {
            max = Math.max(max, Vec.distance(own, m.vector));
        }
        s.consensusError = max;
        s.mix = params.withPart(s.mix, mixed, GossipExchange.mixed(s, own, received, clipRadius));
    }
}
