package io.dflink.records;

/**
 * A device's update to its server ({@code client-updates} topic, key = server id). For DFL the type
 * is {@code "model"}: the client's model after its local steps of {@code round}, weighted by its
 * local sample count.
 */
public class ClientUpdate {
    public static final String TYPE_MODEL = "model";
    public static final String TYPE_JOIN = "join";
    public static final String TYPE_LEAVE = "leave";

    public String type;
    public String clientId;
    public String serverId;
    public long round;
    public double weight;
    public double[] vector;

    public ClientUpdate() {}

    public boolean isModel() {
        return TYPE_MODEL.equals(type);
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
}
