package io.dflink.records;

/**
 * The model a server holds at the start of {@link #round} ({@code server-models} topic, key =
 * server id). Round 0 is the initial model; round r+1 is the result of round r's aggregation and
 * consensus.
 */
public class ServerModel {
    public String serverId;
    public long round;
    public double[] vector;

    /** How many client updates were averaged in the round that produced this model. */
    public int clientsAggregated;

    /** Consensus steps run in the round that produced this model. */
    public int consensusSteps;

    /**
     * Largest distance between this server's and a neighbour's iterate in the round's last
     * consensus step: how far the servers around it still disagree (0 without neighbours).
     */
    public double consensusError;

    /** True when this is the last model of a run with a round limit. */
    public boolean last;

    /**
     * 0 for the model at the start of the round. FDA: k > 0 for the average of a sync after local
     * step k. LT-ADMM: k > 0 for the local iterate phi^k at which the clients compute gradients.
     * Asynchronous client phase: k > 0 for the k-th buffer applied within the round.
     */
    public int step;

    /** FDA: the clients' settings, on round-start models of servers that run FDA; else null. */
    public FdaSettings fda;

    /** LT-ADMM: the clients' settings, on round-start models; else null. */
    public AdmmSettings admm;

    /** Decentralised LoRA: the clients' settings, on round-start models; else null. */
    public LoraSettings lora;

    /**
     * Asynchronous client phase: the model's version (0 for the first; one more for every model the
     * server publishes), which devices name as the {@code baseVersion} of their deltas.
     */
    public long version;

    /** Asynchronous client phase: the devices' settings, on every model; else null. */
    public AsyncSettings async;

    public ServerModel() {}

    public ServerModel(String serverId, long round, double[] vector) {
        this.serverId = serverId;
        this.round = round;
        this.vector = vector;
    }
}
