package io.dflink.tools.testing;

import io.dflink.clients.ClientRuntime;
import io.dflink.clients.FederatedClient;
import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobIo;
import io.dflink.kafka.Topics;
import io.dflink.tools.embedded.EmbeddedJob;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * Runs the embedded job with an SDK fleet (one {@link ClientRuntime} thread) until every server has
 * published its last model: the graph is published as an outside operator would, the result read
 * back as plain JSON.
 */
public final class SdkFleetRun {

    private SdkFleetRun() {}

    /** The last model of each server, by server id. */
    public static Map<String, JsonNode> untilLastModels(
            JobConfig config,
            JobIo io,
            Map<String, List<FederatedClient>> clients,
            String graphJson,
            OutsideClient outside)
            throws Exception {
        return untilLastModels(config, io, clients, List.of(graphJson), clients.size(), outside);
    }

    /**
     * As above with several topology events (published in order, before the first round ends) and
     * until {@code servers} servers have published their last model.
     */
    public static Map<String, JsonNode> untilLastModels(
            JobConfig config,
            JobIo io,
            Map<String, List<FederatedClient>> clients,
            List<String> topologyJsons,
            int servers,
            OutsideClient outside)
            throws Exception {
        String prefix = config.topicPrefix();
        try (EmbeddedJob job = EmbeddedJob.start(config, io, null);
                ClientRuntime fleet =
                        new ClientRuntime(config.kafkaCommon(), prefix, config.vectorEncoding())) {
            clients.values().forEach(own -> own.forEach(fleet::add));
            Thread runner = new Thread(fleet::run, "sdk-fleet");
            runner.start();
            for (String graphJson : topologyJsons) {
                outside.send(prefix + Topics.TOPOLOGY.name(), "graph", graphJson);
            }
            Map<String, JsonNode> last;
            try {
                last =
                        outside.awaitLastModels(
                                prefix + Topics.SERVER_MODELS.name(), servers, 180_000);
            } catch (AssertionError hang) {
                throw new AssertionError(hang.getMessage() + "\n" + whatHappened(outside, prefix));
            }
            fleet.stop();
            runner.join(10_000);
            return last;
        }
    }

    /**
     * For the message of a hang: what each topic holds, summarised per server and round (dead
     * letters in full), so that a run that did not finish explains itself.
     */
    private static String whatHappened(OutsideClient outside, String prefix) {
        StringBuilder b = new StringBuilder();
        b.append("server-models (server round/step):");
        for (JsonNode m : outside.readAvailable(prefix + Topics.SERVER_MODELS.name())) {
            b.append(' ')
                    .append(m.get("serverId").asText())
                    .append(' ')
                    .append(m.get("round").asLong())
                    .append('/')
                    .append(m.path("step").asLong());
        }
        Map<String, Integer> uploads = new java.util.TreeMap<>();
        for (JsonNode u : outside.readAvailable(prefix + Topics.CLIENT_UPDATES.name())) {
            uploads.merge(
                    u.get("serverId").asText()
                            + " r"
                            + u.get("round").asLong()
                            + " "
                            + u.get("type").asText(),
                    1,
                    Integer::sum);
        }
        b.append("\nclient-updates per server, round and type: ").append(uploads);
        Map<String, Integer> consensus = new java.util.TreeMap<>();
        for (JsonNode m : outside.readAvailable(prefix + Topics.CONSENSUS.name())) {
            consensus.merge(
                    m.get("from").asText()
                            + ">"
                            + m.get("to").asText()
                            + " r"
                            + m.get("round").asLong()
                            + "/"
                            + m.path("step").asLong()
                            + " "
                            + m.path("kind").asText(),
                    1,
                    Integer::sum);
        }
        b.append("\nconsensus messages: ").append(consensus);
        b.append("\ndead letters:");
        for (JsonNode d : outside.readAvailable(prefix + Topics.DEAD_LETTER.name())) {
            b.append("\n  ")
                    .append(d.path("reasonCode").asText())
                    .append(": ")
                    .append(d.path("reason").asText())
                    .append(" (")
                    .append(d.path("sourceTopic").asText())
                    .append('@')
                    .append(d.path("offset").asLong())
                    .append(')');
        }
        return b.toString();
    }
}
