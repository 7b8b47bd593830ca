package io.dflink.operators.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-tier FDA's state on one server: the round's variance flood (the summaries it knows, by
 * server, and those it learnt in the last step, which it passes on next), the flood's length, the
 * round's decision and estimate, and the last round that ran a consensus.
 */
public class ServerFdaProgress {

    /** Every summary known this round, by server id: [last consensus round, model or sketch]. */
    public Map<String, double[]> known = new HashMap<>();

    /** The servers whose summaries were learnt in the last step (sent on in the next). */
    public List<String> fresh = new ArrayList<>();

    /** Flood steps this round: the eccentricity bound of the server's component. */
    public int floodSteps;

    /** Whether this round runs the T_S gossip steps (known once the flood is done). */
    public boolean synced;

    /** The round's variance estimate; -1 when none was made (ALWAYS, PERIODIC). */
    public double estimate = -1;

    /** The last round that ran a consensus, -1 before the first. */
    public long lastSync = -1;

    /** The consensus error of the last consensus, kept through rounds without one. */
    public double lastConsensusError;

    public ServerFdaProgress() {}
}
