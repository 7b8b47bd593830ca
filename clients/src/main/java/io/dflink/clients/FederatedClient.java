package io.dflink.clients;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * The events to publish, in order, for {@code model}; empty when there is nothing to answer.
     */
    public List<ClientUpdate> onServerModel(ServerModel model) {
        if (!serverId.equals(model.serverId) || model.round <= lastAnsweredRound || model.last) {
            return List.of();
        }
        List<ClientUpdate> events = new ArrayList<>(2);
        if (lastAnsweredRound < 0) {
            events.add(
                    ClientUpdate.membership(
                            ClientUpdate.TYPE_JOIN, clientId, serverId, model.round));
        }
        lastAnsweredRound = model.round;
        double[] trained = trainer.train(model.vector);
        events.add(
                ClientUpdate.model(
                        clientId, serverId, model.round, trainer.sampleCount(), trained));
        return events;
    }
}
