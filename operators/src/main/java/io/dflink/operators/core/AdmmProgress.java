package io.dflink.operators.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a server running LT-ADMM is within its round's local phase: the step t, the local iterate
 * phi^t, the penalty c_i frozen at the round's start, and the clients' gradients at phi^t so far.
 */
public class AdmmProgress {
    public int step;
    public double[] phi;
    public double[] penalty;
    public Map<String, GradientPart> parts = new HashMap<>();

    public AdmmProgress() {}
}
