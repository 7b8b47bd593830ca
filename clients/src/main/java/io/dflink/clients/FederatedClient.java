package io.dflink.clients;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ServerModel;

import java.util.Optional;

/**
 * One device's side of the DFL round protocol: for each new model of its server it trains locally
 * from that model and answers with a {@code model} update tagged with the model's round, weighted
 * by its sample count. Re-delivered or older models are ignored; so is the last model of a run.
 */
public final class FederatedClient {

    private final String clientId;
    private final String serverId;
    private final LocalTrainer trainer;
    private long lastAnsweredRound = -1;

    public FederatedClient(String clientId, String serverId, LocalTrainer trainer) {
        this.clientId = clientId;
        this.serverId = serverId;
        this.trainer = trainer;
    }

    public String clientId() {
        return clientId;
    }

    public String serverId() {
        return serverId;
    }

    /** The update to publish for {@code model}, or empty when there is nothing to answer. */
    public Optional<ClientUpdate> onServerModel(ServerModel model) {
        if (!serverId.equals(model.serverId) || model.round <= lastAnsweredRound || model.last) {
            return Optional.empty();
        }
        lastAnsweredRound = model.round;
        double[] trained = trainer.train(model.vector);
        return Optional.of(
                ClientUpdate.model(
                        clientId, serverId, model.round, trainer.sampleCount(), trained));
    }
}
