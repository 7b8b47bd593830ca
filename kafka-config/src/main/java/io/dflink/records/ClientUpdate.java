package io.dflink.records;

/**
 * A device's update to its server ({@code client-updates} topic, key = server id): {@code "model"},
 * the client's model after its local steps of {@code round} (under FDA, after local step {@code
 * step}); {@code "fda-state"}, FDA's monitoring state after local step {@code step}; {@code "join"}
 * / {@code "leave"}, membership announcements; {@code "gradient"}, LT-ADMM's mini-batch gradient at
 * the server's iterate of (round, step).
 */
public class ClientUpdate {
    public static final String TYPE_MODEL = "model";
    public static final String TYPE_JOIN = "join";
    public static final String TYPE_LEAVE = "leave";
    public static final String TYPE_FDA_STATE = "fda-state";
    public static final String TYPE_GRADIENT = "gradient";

    /** Asynchronous client phase: a model change trained from the server's {@link #baseVersion}. */
    public static final String TYPE_DELTA = "delta";

    public String type;
    public String clientId;
    public String serverId;
    public long round;
    public double weight;

    /** delta: the version of the server model the device trained from. */
    public long baseVersion;

    public double[] vector;

    /** FDA: the local step of the round after which this model or state was taken (1..T_C). */
    public int step;

    /** FDA state: ||w_i - w_t0||^2, the squared drift from the last synchronised model. */
    public double sqNorm;

    /** Linear FDA state: the drift projected on the unit direction xi, or NaN when absent. */
    public double projection = Double.NaN;

    /**
     * Sketch FDA state: the AMS sketch of the drift, row-major depth x width; empty when absent.
     */
    public double[] sketch = new double[0];

    /**
     * Decentralised LoRA model: "A" or "B" when the vector holds only that factor (the one trained
     * in the round); null when it holds the whole model.
     */
    public String factor;

    /** LT-ADMM-VR gradient: the mean of the device's SAGA table, or empty without VR. */
    public double[] tableMean = new double[0];

    /** LT-ADMM-VR gradient: the number of samples in the device's table. */
    public long samples;

    public ClientUpdate() {}

    public boolean isModel() {
        return TYPE_MODEL.equals(type);
    }

    public boolean isFdaState() {
        return TYPE_FDA_STATE.equals(type);
    }

    public boolean isDelta() {
        return TYPE_DELTA.equals(type);
    }

    public boolean isGradient() {
        return TYPE_GRADIENT.equals(type);
    }

    /** A join or leave: carries no model and no state. */
    public boolean isMembership() {
        return TYPE_JOIN.equals(type) || TYPE_LEAVE.equals(type);
    }

    /** A join or leave announcement for {@code round}. */
    public static ClientUpdate membership(
            String type, String clientId, String serverId, long round) {
        ClientUpdate u = new ClientUpdate();
        u.type = type;
        u.clientId = clientId;
        u.serverId = serverId;
        u.round = round;
        return u;
    }

    public static ClientUpdate model(
            String clientId, String serverId, long round, double weight, double[] vector) {
        ClientUpdate u = new ClientUpdate();
        u.type = TYPE_MODEL;
        u.clientId = clientId;
        u.serverId = serverId;
        u.round = round;
        u.weight = weight;
        u.vector = vector;
        return u;
    }

    /**
     * Asynchronous client phase: trained model minus the server's model of {@code baseVersion}
     * (which belongs to {@code round}), weighted by the device's sample count.
     */
    public static ClientUpdate delta(
            String clientId,
            String serverId,
            long round,
            long baseVersion,
            double weight,
            double[] vector) {
        ClientUpdate u = model(clientId, serverId, round, weight, vector);
        u.type = TYPE_DELTA;
        u.baseVersion = baseVersion;
        return u;
    }

    /** FDA: the model taken after local step {@code step} of {@code round}. */
    public static ClientUpdate model(
            String clientId,
            String serverId,
            long round,
            int step,
            double weight,
            double[] vector) {
        ClientUpdate u = model(clientId, serverId, round, weight, vector);
        u.step = step;
        return u;
    }

    /**
     * FDA's monitoring state after local step {@code step}; projection NaN and sketch empty when
     * unused.
     */
    public static ClientUpdate fdaState(
            String clientId,
            String serverId,
            long round,
            int step,
            double sqNorm,
            double projection,
            double[] sketch) {
        ClientUpdate u = new ClientUpdate();
        u.type = TYPE_FDA_STATE;
        u.clientId = clientId;
        u.serverId = serverId;
        u.round = round;
        u.step = step;
        u.sqNorm = sqNorm;
        u.projection = projection;
        u.sketch = sketch;
        return u;
    }

    /**
     * LT-ADMM: the mean gradient over a mini-batch of {@code weight} samples at the server's
     * iterate of (round, step); with variance reduction, the batch mean of grad - table entry plus
     * the table's mean over {@code samples} samples.
     */
    public static ClientUpdate gradient(
            String clientId,
            String serverId,
            long round,
            int step,
            double weight,
            double[] vector,
            double[] tableMean,
            long samples) {
        ClientUpdate u = model(clientId, serverId, round, step, weight, vector);
        u.type = TYPE_GRADIENT;
        u.tableMean = tableMean;
        u.samples = samples;
        return u;
    }
}
