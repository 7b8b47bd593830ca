package io.dflink.operators.core;

import io.dflink.operators.core.fda.FdaReport;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a server running FDA is within its round's client phase: the local step it waits for, and
 * whether it waits for the clients' monitoring states of that step or for their models (a sync).
 */
public class FdaProgress {
    /** The local step (1..T_C) the server waits for. */
    public int step;

    /** True while collecting the models of a sync after {@link #step}; false: states. */
    public boolean awaitingModels;

    /** The states reported for {@link #step}, by client id. */
    public Map<String, FdaReport> reports = new HashMap<>();

    public FdaProgress() {}
}
