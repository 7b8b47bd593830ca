package io.dflink.records;

/**
 * A server's command to its devices ({@code control} topic, key = server id). FDA's lock-step
 * protocol: after its clients reported their state for local step {@code step} of {@code round},
 * the server answers {@code "fda-continue"} (take the next local step) or {@code "fda-sync"}
 * (upload the model now; the average comes back on {@code server-models}).
 */
public class ControlEvent {
    public static final String FDA_CONTINUE = "fda-continue";
    public static final String FDA_SYNC = "fda-sync";

    public String type;
    public String serverId;
    public long round;
    public int step;

    /** The server's variance estimate H that led to the decision. */
    public double estimate;

    public ControlEvent() {}

    public ControlEvent(String type, String serverId, long round, int step, double estimate) {
        this.type = type;
        this.serverId = serverId;
        this.round = round;
        this.step = step;
        this.estimate = estimate;
    }

    public boolean isSync() {
        return FDA_SYNC.equals(type);
    }
}
