package io.dflink.serde;

import io.dflink.records.RejectReason;
import io.dflink.records.RoundMetrics;
import io.dflink.records.Traffic;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON codec of {@link RoundMetrics}; schema: {@code schemas/round-metrics.schema.json}. */
public final class RoundMetricsCodec {

    private RoundMetricsCodec() {}

    public static byte[] encode(RoundMetrics m) {
        return JsonWriting.object(
                g -> {
                    g.writeStringField("serverId", m.serverId);
                    g.writeNumberField("round", m.round);
                    g.writeNumberField("clientUpdates", m.clientUpdates);
                    g.writeNumberField("duplicateUpdates", m.duplicateUpdates);
                    g.writeNumberField("consensusMessagesSent", m.consensusMessagesSent);
                    g.writeNumberField("consensusMessagesReceived", m.consensusMessagesReceived);
                    g.writeNumberField("duplicateConsensusMessages", m.duplicateConsensusMessages);
                    g.writeNumberField("consensusValuesSent", m.consensusValuesSent);
                    g.writeNumberField("skippedLinks", m.skippedLinks);
                    g.writeNumberField("skippedMessages", m.skippedMessages);
                    g.writeNumberField("graphComponents", m.graphComponents);
                    g.writeNumberField("localSteps", m.localSteps);
                    g.writeNumberField("syncs", m.syncs);
                    g.writeObjectFieldStart("communication");
                    traffic(g, "monitoringUp", m.monitoringUp);
                    traffic(g, "modelUp", m.modelUp);
                    traffic(g, "gradientUp", m.gradientUp);
                    traffic(g, "modelDown", m.modelDown);
                    traffic(g, "control", m.control);
                    traffic(g, "consensus", m.consensus);
                    g.writeEndObject();
                    if (!m.consensusTo.isEmpty()) { // servers with neighbours only
                        g.writeObjectFieldStart("consensusTo");
                        // sorted: the same round encodes to the same bytes, whatever the map
                        for (Map.Entry<String, Traffic> e :
                                new TreeMap<>(m.consensusTo).entrySet()) {
                            traffic(g, e.getKey(), e.getValue());
                        }
                        g.writeEndObject();
                    }
                    if (m.flushes > 0) { // asynchronous client phase only
                        g.writeObjectFieldStart("async");
                        g.writeNumberField("flushes", m.flushes);
                        g.writeNumberField("maxStaleness", m.maxStaleness);
                        g.writeNumberField("meanStaleness", m.meanStaleness);
                        g.writeEndObject();
                    }
                    if (actedOn(m)) { // absent on a clean round: its record is as before
                        g.writeObjectFieldStart("robustness");
                        names(g, "weightBounded", m.weightBounded);
                        names(g, "clipped", m.clipped);
                        names(g, "refused", m.refused);
                        names(g, "discarded", m.discarded);
                        names(g, "clippedNeighbours", m.clippedNeighbours);
                        g.writeEndObject();
                    }
                    if (m.serverSync != null) { // server-tier FDA only
                        g.writeObjectFieldStart("serverSync");
                        g.writeStringField("mode", m.serverSync);
                        g.writeBooleanField("consensus", m.consensusRan);
                        if (m.varianceEstimate >= 0) {
                            g.writeNumberField("variance", m.varianceEstimate);
                        }
                        g.writeEndObject();
                    }
                    g.writeFieldName("stepMillis");
                    g.writeArray(m.stepMillis, 0, m.stepMillis.length);
                });
    }

    public static RoundMetrics decode(byte[] bytes) throws InvalidEventException {
        JsonFields f = JsonFields.parse(bytes);
        RoundMetrics m = new RoundMetrics();
        m.serverId = f.text("serverId");
        m.round = f.nonNegativeLong("round");
        m.clientUpdates = f.nonNegativeInt("clientUpdates");
        m.duplicateUpdates = f.nonNegativeInt("duplicateUpdates");
        m.consensusMessagesSent = f.nonNegativeInt("consensusMessagesSent");
        m.consensusMessagesReceived = f.nonNegativeInt("consensusMessagesReceived");
        m.duplicateConsensusMessages = f.nonNegativeInt("duplicateConsensusMessages");
        m.consensusValuesSent = f.nonNegativeLong("consensusValuesSent");
        m.skippedLinks = f.has("skippedLinks") ? f.nonNegativeInt("skippedLinks") : 0;
        m.skippedMessages = f.has("skippedMessages") ? f.nonNegativeInt("skippedMessages") : 0;
        m.graphComponents = f.has("graphComponents") ? f.nonNegativeInt("graphComponents") : 1;
        m.stepMillis = f.vector("stepMillis", Integer.MAX_VALUE);
        m.localSteps = f.has("localSteps") ? f.nonNegativeInt("localSteps") : 0;
        m.syncs = f.has("syncs") ? f.nonNegativeInt("syncs") : 0;
        if (f.has("communication")) {
            JsonFields c = JsonFields.of(f.required("communication"));
            m.monitoringUp = traffic(c, "monitoringUp");
            m.modelUp = traffic(c, "modelUp");
            m.gradientUp = traffic(c, "gradientUp");
            m.modelDown = traffic(c, "modelDown");
            m.control = traffic(c, "control");
            m.consensus = traffic(c, "consensus");
        }
        if (f.has("consensusTo")) {
            JsonNode edges = f.required("consensusTo");
            if (!edges.isObject()) {
                throw new InvalidEventException(
                        RejectReason.WRONG_TYPE, "consensusTo must be an object of traffic");
            }
            JsonFields c = JsonFields.of(edges);
            for (Iterator<String> it = edges.fieldNames(); it.hasNext(); ) {
                String to = it.next();
                m.consensusTo.put(to, traffic(c, to));
            }
        }
        if (f.has("async")) {
            JsonFields a = JsonFields.of(f.required("async"));
            m.flushes = a.nonNegativeInt("flushes");
            m.maxStaleness = a.nonNegativeLong("maxStaleness");
            m.meanStaleness = a.number("meanStaleness");
        }
        if (f.has("serverSync")) {
            JsonFields sync = JsonFields.of(f.required("serverSync"));
            m.serverSync = sync.text("mode");
            m.consensusRan = sync.bool("consensus");
            m.varianceEstimate = sync.has("variance") ? sync.number("variance") : -1;
        }
        if (f.has("robustness")) {
            JsonFields r = JsonFields.of(f.required("robustness"));
            m.weightBounded = names(r, "weightBounded");
            m.clipped = names(r, "clipped");
            m.refused = names(r, "refused");
            m.discarded = names(r, "discarded");
            m.clippedNeighbours = names(r, "clippedNeighbours");
        }
        return m;
    }

    /** Whether a defence acted on anything in the round. */
    private static boolean actedOn(RoundMetrics m) {
        return !(m.weightBounded.isEmpty()
                && m.clipped.isEmpty()
                && m.refused.isEmpty()
                && m.discarded.isEmpty()
                && m.clippedNeighbours.isEmpty());
    }

    private static void names(JsonGenerator g, String field, List<String> names)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (String n : names) {
            g.writeString(n);
        }
        g.writeEndArray();
    }

    private static List<String> names(JsonFields r, String field) throws InvalidEventException {
        List<String> out = new ArrayList<>();
        if (!r.has(field)) {
            return out;
        }
        JsonNode node = r.required(field);
        if (!node.isArray()) {
            throw new InvalidEventException(
                    RejectReason.WRONG_TYPE,
                    "robustness." + field + " must be an array of strings");
        }
        for (JsonNode n : node) {
            out.add(n.asText());
        }
        return out;
    }

    private static void traffic(JsonGenerator g, String name, Traffic t) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("messages", t.messages);
        g.writeNumberField("bytes", t.bytes);
        g.writeEndObject();
    }

    private static Traffic traffic(JsonFields c, String name) throws InvalidEventException {
        if (!c.has(name)) {
            return new Traffic();
        }
        JsonFields t = JsonFields.of(c.required(name));
        return new Traffic(t.nonNegativeLong("messages"), t.nonNegativeLong("bytes"));
    }
}
