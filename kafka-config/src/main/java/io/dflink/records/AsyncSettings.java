package io.dflink.records;

/**
 * What a server's devices must know under the asynchronous client phase, carried by every model
 * such a server publishes: the server applies its buffer every {@code bufferSize} deltas, enters
 * consensus every {@code versionsPerEpoch} versions, and refuses deltas more than {@code
 * maxStaleness} versions behind.
 */
public class AsyncSettings {
    public int bufferSize;
    public int versionsPerEpoch;
    public long maxStaleness;

    public AsyncSettings() {}
}
