package io.dflink.operators.core.lora;

/**
 * The alternating schedule every client and server shares (docs/algorithms.md §2a): B in rounds
 * where floor(t / T) is even, A otherwise. It starts with B because with B = 0 the gradient in A is
 * zero.
 */
public final class LoraSchedule {

    private LoraSchedule() {}

    public static LoraVariant.Factor active(long round, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("the switching interval T must be >= 1");
        }
        return (round / interval) % 2 == 0 ? LoraVariant.Factor.B : LoraVariant.Factor.A;
    }
}
