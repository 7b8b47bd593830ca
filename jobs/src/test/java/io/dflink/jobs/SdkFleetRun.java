package io.dflink.jobs;

import io.dflink.clients.ClientRuntime;
import io.dflink.clients.FederatedClient;
import io.dflink.jobs.embedded.EmbeddedJob;
import io.dflink.kafka.Topics;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Runs the embedded job with an SDK fleet (one {@link ClientRuntime} thread) until every server has
 * published its last model: the graph is published as an outside operator would, the result read
 * back as plain JSON.
 */
final class SdkFleetRun {

    private SdkFleetRun() {}

    /** The last model of each server, by server id. */
    static Map<String, JsonNode> untilLastModels(
            JobConfig config,
            JobIo io,
            Map<String, List<FederatedClient>> clients,
            String graphJson,
            OutsideClient outside)
            throws Exception {
        String prefix = config.topicPrefix();
        try (EmbeddedJob job = EmbeddedJob.start(config, io, null);
                ClientRuntime fleet =
                        new ClientRuntime(config.kafkaCommon(), prefix, config.vectorEncoding())) {
            clients.values().forEach(own -> own.forEach(fleet::add));
            Thread runner = new Thread(fleet::run, "sdk-fleet");
            runner.start();
            outside.send(prefix + Topics.TOPOLOGY.name(), "graph", graphJson);
            Map<String, JsonNode> last =
                    outside.awaitLastModels(
                            prefix + Topics.SERVER_MODELS.name(), clients.size(), 180_000);
            fleet.stop();
            runner.join(10_000);
            return last;
        }
    }
}
