package io.dflink.jobs;

/**
 * Stable operator UIDs and display names. UIDs never change once released: savepoints map state to
 * operators by them. (The stateless "decode-input-v1" stage of earlier versions is gone: servers
 * decode their own records; its savepoints held no state for it.)
 */
public final class OperatorIds {
    public static final String INBOUND_SOURCE_UID = "source-inbound-v1";
    public static final String TOPOLOGY_SOURCE_UID = "source-topology-v1";
    public static final String VALIDATE_TOPOLOGY_UID = "validate-topology-v1";
    public static final String WAKE_SERVERS_UID = "wake-servers-v1";
    public static final String SERVER_UID = "dfl-server-v1";

    public static final String INBOUND_SOURCE_NAME = "client-updates + consensus";
    public static final String TOPOLOGY_SOURCE_NAME = "topology";
    public static final String VALIDATE_TOPOLOGY_NAME = "validate topology";
    public static final String WAKE_SERVERS_NAME = "wake named servers";
    public static final String SERVER_NAME = "decode, validate, DFL server";

    private OperatorIds() {}
}
