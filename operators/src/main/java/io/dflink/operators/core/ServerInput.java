package io.dflink.operators.core;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.SourceRef;

/**
 * One input of a server, keyed by server id: a client update, a consensus message from a neighbour,
 * or a wake-up sent when the topology names the server. Carries its {@link SourceRef} so a
 * rejection can dead-letter the original bytes.
 */
public class ServerInput {

    /** What this input is. */
    public enum Kind {
        CLIENT_UPDATE,
        CONSENSUS,
        WAKE
    }

    public Kind kind;
    public String serverId;
    public ClientUpdate clientUpdate;
    public ConsensusMessage consensus;
    public SourceRef source;

    public ServerInput() {}

    public static ServerInput of(ClientUpdate u, SourceRef source) {
        ServerInput in = new ServerInput();
        in.kind = Kind.CLIENT_UPDATE;
        in.serverId = u.serverId;
        in.clientUpdate = u;
        in.source = source;
        return in;
    }

    public static ServerInput of(ConsensusMessage m, SourceRef source) {
        ServerInput in = new ServerInput();
        in.kind = Kind.CONSENSUS;
        in.serverId = m.to;
        in.consensus = m;
        in.source = source;
        return in;
    }

    public static ServerInput wake(String serverId) {
        ServerInput in = new ServerInput();
        in.kind = Kind.WAKE;
        in.serverId = serverId;
        in.source = new SourceRef("(topology)", -1, -1, serverId, new byte[0]);
        return in;
    }
}
