package io.dflink.operators.core.server;

import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * When a server stops waiting for client updates and closes its round.
 *
 * <ul>
 *   <li>{@link Membership#COUNT}: once {@code clients} distinct clients have reported.
 *   <li>{@link Membership#ANNOUNCED}: once every client that announced itself for the round (a
 *       {@code join} event, until a {@code leave}) has reported, and at least {@code clients} have
 *       announced; updates from clients that did not announce themselves are dead-lettered.
 * </ul>
 *
 * With {@code timeoutMillis > 0} a round also closes that long after it opened if at least {@code
 * quorum} clients have reported: for production fleets where devices vanish. Timeouts depend on
 * wall-clock time, so runs that use them are not reproducible bit for bit.
 */
public record RoundClosing(Membership membership, int clients, long timeoutMillis, int quorum)
        implements Serializable {

    /** How a server learns which clients to wait for. */
    public enum Membership {
        COUNT,
        ANNOUNCED
    }

    public RoundClosing {
        Require.present("membership", membership);
        Require.atLeast("clients-per-server", clients, 1);
        Require.that(
                timeoutMillis >= 0, "round-timeout-ms", timeoutMillis, "must be >= 0 (0 = none)");
        Require.atLeast("quorum", quorum, 1);
    }

    public static RoundClosing count(int clients) {
        return new RoundClosing(Membership.COUNT, clients, 0, 1);
    }

    public RoundClosing withClients(int n) {
        return new RoundClosing(membership, n, timeoutMillis, quorum);
    }
}
