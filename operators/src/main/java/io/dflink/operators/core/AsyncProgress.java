package io.dflink.operators.core;

import java.util.ArrayList;
import java.util.List;

/**
 * An asynchronous server's progress, kept across rounds: the version of its current model, the
 * deltas received and not yet applied (in arrival order, which is the log order of the server's
 * partition), and the current round's applied buffers and their staleness.
 */
public class AsyncProgress {
    public long version;
    public List<ServerInput> buffer = new ArrayList<>();
    public int flushes;
    public int applied;
    public long stalenessSum;
    public long maxStaleness;

    public AsyncProgress() {}
}
