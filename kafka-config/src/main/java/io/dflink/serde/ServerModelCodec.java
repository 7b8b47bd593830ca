package io.dflink.serde;

import io.dflink.records.AdmmSettings;
import io.dflink.records.AsyncSettings;
import io.dflink.records.FdaSettings;
import io.dflink.records.LoraSettings;
import io.dflink.records.ServerModel;

/** JSON codec of {@link ServerModel}; schema: {@code schemas/server-model.schema.json}. */
public final class ServerModelCodec {

    private ServerModelCodec() {}

    public static ServerModel decode(byte[] bytes, int maxVectorLength)
            throws InvalidEventException {
        JsonFields f = JsonFields.parse(bytes);
        ServerModel m = new ServerModel();
        m.serverId = f.text("serverId");
        m.round = f.nonNegativeLong("round");
        m.vector = f.vector("vector", maxVectorLength);
        m.clientsAggregated =
                f.has("clientsAggregated") ? f.nonNegativeInt("clientsAggregated") : 0;
        m.consensusSteps = f.has("consensusSteps") ? f.nonNegativeInt("consensusSteps") : 0;
        m.consensusError = f.has("consensusError") ? f.number("consensusError") : 0.0;
        m.last = f.has("last") && f.bool("last");
        m.step = f.has("step") ? f.nonNegativeInt("step") : 0;
        m.fda = f.has("fda") ? fdaSettings(JsonFields.of(f.required("fda"))) : null;
        m.admm = f.has("admm") ? admmSettings(JsonFields.of(f.required("admm"))) : null;
        m.lora = f.has("lora") ? loraSettings(JsonFields.of(f.required("lora"))) : null;
        m.version = f.has("version") ? f.nonNegativeLong("version") : 0;
        m.async = f.has("async") ? asyncSettings(JsonFields.of(f.required("async"))) : null;
        return m;
    }

    private static AsyncSettings asyncSettings(JsonFields f) throws InvalidEventException {
        AsyncSettings s = new AsyncSettings();
        s.bufferSize = f.nonNegativeInt("bufferSize");
        s.versionsPerEpoch = f.nonNegativeInt("versionsPerEpoch");
        s.maxStaleness = f.nonNegativeLong("maxStaleness");
        return s;
    }

    private static AdmmSettings admmSettings(JsonFields f) throws InvalidEventException {
        AdmmSettings s = new AdmmSettings();
        s.variance = f.text("variance");
        s.tau = f.nonNegativeInt("tau");
        s.batchSize = f.nonNegativeInt("batchSize");
        s.seed = f.nonNegativeLong("seed");
        return s;
    }

    private static LoraSettings loraSettings(JsonFields f) throws InvalidEventException {
        LoraSettings s = new LoraSettings();
        s.variant = f.text("variant");
        s.interval = f.nonNegativeInt("interval");
        s.rank = f.nonNegativeInt("rank");
        s.alpha = f.number("alpha");
        s.rows = f.nonNegativeInt("rows");
        s.cols = f.nonNegativeInt("cols");
        s.linkProbability = f.number("linkProbability");
        s.seed = f.nonNegativeLong("seed");
        return s;
    }

    private static FdaSettings fdaSettings(JsonFields f) throws InvalidEventException {
        FdaSettings s = new FdaSettings();
        s.variant = f.text("variant");
        s.steps = f.nonNegativeInt("steps");
        s.period = f.nonNegativeInt("period");
        s.seed = f.nonNegativeLong("seed");
        s.sketchDepth = f.nonNegativeInt("sketchDepth");
        s.sketchWidth = f.nonNegativeInt("sketchWidth");
        return s;
    }

    /** The length of {@link #encode}'s output, encoding only the fields around the vector. */
    public static long encodedSize(ServerModel m, VectorEncoding encoding) {
        double[] vector = m.vector;
        ServerModel envelope = new ServerModel(m.serverId, m.round, new double[0]);
        envelope.clientsAggregated = m.clientsAggregated;
        envelope.consensusSteps = m.consensusSteps;
        envelope.consensusError = m.consensusError;
        envelope.last = m.last;
        envelope.step = m.step;
        envelope.fda = m.fda;
        envelope.admm = m.admm;
        envelope.lora = m.lora;
        envelope.version = m.version;
        envelope.async = m.async;
        return encode(envelope, encoding).length
                - Vectors.encodedLength(new double[0], encoding)
                + Vectors.encodedLength(vector, encoding);
    }

    public static byte[] encode(ServerModel m, VectorEncoding encoding) {
        return JsonWriting.object(
                512 + Vectors.sizeHint(m.vector, encoding),
                g -> {
                    g.writeStringField("serverId", m.serverId);
                    g.writeNumberField("round", m.round);
                    g.writeFieldName("vector");
                    Vectors.write(g, m.vector, encoding);
                    g.writeNumberField("clientsAggregated", m.clientsAggregated);
                    g.writeNumberField("consensusSteps", m.consensusSteps);
                    g.writeNumberField("consensusError", m.consensusError);
                    g.writeBooleanField("last", m.last);
                    if (m.step > 0) {
                        g.writeNumberField("step", m.step);
                    }
                    if (m.fda != null) {
                        g.writeObjectFieldStart("fda");
                        g.writeStringField("variant", m.fda.variant);
                        g.writeNumberField("steps", m.fda.steps);
                        g.writeNumberField("period", m.fda.period);
                        g.writeNumberField("seed", m.fda.seed);
                        g.writeNumberField("sketchDepth", m.fda.sketchDepth);
                        g.writeNumberField("sketchWidth", m.fda.sketchWidth);
                        g.writeEndObject();
                    }
                    if (m.admm != null) {
                        g.writeObjectFieldStart("admm");
                        g.writeStringField("variance", m.admm.variance);
                        g.writeNumberField("tau", m.admm.tau);
                        g.writeNumberField("batchSize", m.admm.batchSize);
                        g.writeNumberField("seed", m.admm.seed);
                        g.writeEndObject();
                    }
                    if (m.async != null) {
                        g.writeNumberField("version", m.version);
                        g.writeObjectFieldStart("async");
                        g.writeNumberField("bufferSize", m.async.bufferSize);
                        g.writeNumberField("versionsPerEpoch", m.async.versionsPerEpoch);
                        g.writeNumberField("maxStaleness", m.async.maxStaleness);
                        g.writeEndObject();
                    }
                    if (m.lora != null) {
                        g.writeObjectFieldStart("lora");
                        g.writeStringField("variant", m.lora.variant);
                        g.writeNumberField("interval", m.lora.interval);
                        g.writeNumberField("rank", m.lora.rank);
                        g.writeNumberField("alpha", m.lora.alpha);
                        g.writeNumberField("rows", m.lora.rows);
                        g.writeNumberField("cols", m.lora.cols);
                        g.writeNumberField("linkProbability", m.lora.linkProbability);
                        g.writeNumberField("seed", m.lora.seed);
                        g.writeEndObject();
                    }
                });
    }
}
