package io.dflink.records;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per server and round, what the server received and sent and how long its consensus steps took
 * ({@code metrics} topic, key = server id). Latencies are wall-clock and therefore not part of the
 * deterministic result; everything else is.
 */
public class RoundMetrics {
    public String serverId;
    public long round;
    public int clientUpdates;
    public int duplicateUpdates;
    public int consensusMessagesSent;
    public int consensusMessagesReceived;
    public int duplicateConsensusMessages;

    /** Vector values (doubles) sent to neighbours in this round's consensus messages. */
    public long consensusValuesSent;

    /** Links of this round's graph left out by a skip agreement (a neighbour did not start). */
    public int skippedLinks;

    /** Consensus messages dropped because their link was skipped for the round. */
    public int skippedMessages;

    /** Connected components of this round's topology graph (1 = connected). */
    public int graphComponents = 1;

    /** Client -> server FDA monitoring states (fda-state events). */
    public Traffic monitoringUp = new Traffic();

    /** Client -> server model uploads. */
    public Traffic modelUp = new Traffic();

    /** Client -> server LT-ADMM gradients. */
    public Traffic gradientUp = new Traffic();

    /** Server -> client models, counted once per client of the server that receives them. */
    public Traffic modelDown = new Traffic();

    /** Server -> client commands (FDA continue / sync), counted once per receiving client. */
    public Traffic control = new Traffic();

    /** Server -> neighbour consensus messages sent. */
    public Traffic consensus = new Traffic();

    /**
     * {@link #consensus} by receiving neighbour (id -> traffic): the round's traffic on each
     * outgoing edge, skip agreements included. Bounded by the server's degree.
     */
    public Map<String, Traffic> consensusTo = new HashMap<>();

    /** FDA and LT-ADMM: local steps of the round (T_C or tau). */
    public int localSteps;

    /** FDA: synchronisations in the round, including the forced one after the last local step. */
    public int syncs;

    /** Asynchronous client phase: buffers applied in the round. */
    public int flushes;

    /** Asynchronous client phase: the largest staleness of an applied delta, in versions. */
    public long maxStaleness;

    /** Asynchronous client phase: the mean staleness of the applied deltas, in versions. */
    public double meanStaleness;

    /** Clients whose declared weight was lowered to the round's bound (bounded influence). */
    public List<String> weightBounded = new ArrayList<>();

    /** Clients whose update was clipped: to the distance bound, or by centred clipping. */
    public List<String> clipped = new ArrayList<>();

    /** Clients whose update was refused as an outlier (dead-lettered as OUTLIER). */
    public List<String> refused = new ArrayList<>();

    /** Clients whose update the aggregation rule left out (multi-Krum). */
    public List<String> discarded = new ArrayList<>();

    /** Neighbours whose iterate clipped gossip limited, in any consensus step of the round. */
    public List<String> clippedNeighbours = new ArrayList<>();

    /** Wall-clock milliseconds of each consensus step, from sending v^s to holding all of them. */
    public double[] stepMillis = new double[0];

    /** Server-tier FDA's mode (PERIODIC, VARIANCE); null when every round gossips (ALWAYS). */
    public String serverSync;

    /** Server-tier FDA: whether this round ran its consensus (always true under ALWAYS). */
    public boolean consensusRan = true;

    /** Server-tier FDA under VARIANCE: the round's estimate of the servers' variance; else -1. */
    public double varianceEstimate = -1;

    public RoundMetrics() {}
}
