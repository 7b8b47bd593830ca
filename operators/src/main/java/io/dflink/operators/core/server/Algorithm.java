package io.dflink.operators.core.server;

import io.dflink.operators.core.admm.AdmmParams;
import io.dflink.operators.core.async.AsyncParams;
import io.dflink.operators.core.fda.FdaParams;
import io.dflink.operators.core.lora.LoraParams;
import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * What the servers run, with the settings of exactly that: DFL (whose client phase FDA may govern),
 * LT-ADMM, or decentralised LoRA. One value instead of three nullable settings, so that a
 * combination the servers cannot run cannot be written down.
 */
public sealed interface Algorithm extends Serializable
        permits Algorithm.Dfl, Algorithm.AsyncDfl, Algorithm.LtAdmm, Algorithm.Lora {

    /** DFL: client averaging and T_S gossip steps; {@code fda} null for one model per round. */
    record Dfl(FdaParams fda) implements Algorithm {}

    /**
     * DFL with an asynchronous client phase: devices upload deltas at their own pace, the server
     * applies them in buffers and gossips every V versions (docs/algorithms.md §7).
     */
    record AsyncDfl(AsyncParams async) implements Algorithm {
        public AsyncDfl {
            Require.present("async", async);
        }
    }

    /** LT-ADMM: the servers are ADMM agents fed by their clients' gradients. */
    record LtAdmm(AdmmParams admm) implements Algorithm {
        public LtAdmm {
            Require.present("admm", admm);
        }
    }

    /** Decentralised LoRA: the model is one layer's adapter factors. */
    record Lora(LoraParams lora) implements Algorithm {
        public Lora {
            Require.present("lora", lora);
        }
    }

    /** Plain DFL, one model per client and round. */
    static Algorithm dfl() {
        return new Dfl(null);
    }
}
