package io.dflink.operators.core.async;

import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * How much a delta counts when it is {@code tau} versions stale (FedBuff, Nguyen et al. 2022; the
 * FedAsync family, Xie et al. 2019): {@link Kind#CONSTANT} 1; {@link Kind#POLYNOMIAL} (1 + tau)^-a;
 * {@link Kind#HINGE} 1 up to b versions, then 1 / (a (tau - b) + 1).
 */
public record StalenessWeight(Kind kind, double a, double b) implements Serializable {

    /** The shape of s(tau). */
    public enum Kind {
        CONSTANT,
        POLYNOMIAL,
        HINGE
    }

    public StalenessWeight {
        Require.present("staleness-weight", kind);
        Require.nonNegative("staleness-exponent", a);
        Require.nonNegative("staleness-hinge", b);
    }

    public static StalenessWeight constant() {
        return new StalenessWeight(Kind.CONSTANT, 0, 0);
    }

    /** s(tau) in (0, 1]. */
    public double of(long tau) {
        return switch (kind) {
            case CONSTANT -> 1;
            case POLYNOMIAL -> Math.pow(1 + tau, -a);
            case HINGE -> tau <= b ? 1 : 1 / (a * (tau - b) + 1);
        };
    }
}
