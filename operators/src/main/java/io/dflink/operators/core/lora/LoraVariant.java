package io.dflink.operators.core.lora;

/**
 * The decentralised LoRA methods of docs/algorithms.md §2b: which factor a client trains in a round
 * and which factors the servers mix.
 */
public enum LoraVariant {
    /** Alternates the trained factor every T rounds (B first); mixes both factors every round. */
    TAD_LORA,
    /** Alternates every T rounds; mixes only the factor trained this round. */
    TAD_LORA_NO_JOINT,
    /** Trains and mixes both factors (decentralised FedAvg of LoRA). */
    LORA,
    /** Trains and mixes B only; A stays at the shared initialisation. */
    FFA_LORA,
    /** RoLoRA in decentralised FL: alternates every round (T = 1), mixes the active factor only. */
    ROLORA;

    /** The factor trained in round t with switching interval T. */
    public Factor trained(long round, int interval) {
        switch (this) {
            case LORA:
                return Factor.BOTH;
            case FFA_LORA:
                return Factor.B;
            case ROLORA:
                return LoraSchedule.active(round, 1);
            default:
                return LoraSchedule.active(round, interval);
        }
    }

    /** The factors mixed in round t. */
    public Factor mixed(long round, int interval) {
        switch (this) {
            case TAD_LORA:
            case LORA:
                return Factor.BOTH;
            default:
                return trained(round, interval);
        }
    }

    /** Which of a layer's two LoRA factors an operation touches. */
    public enum Factor {
        A,
        B,
        BOTH;

        public boolean includesA() {
            return this != B;
        }

        public boolean includesB() {
            return this != A;
        }
    }
}
