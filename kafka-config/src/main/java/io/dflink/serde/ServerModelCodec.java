package io.dflink.serde;

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
        return m;
    }

    public static byte[] encode(ServerModel m, VectorEncoding encoding) {
        return JsonWriting.object(
                g -> {
                    g.writeStringField("serverId", m.serverId);
                    g.writeNumberField("round", m.round);
                    g.writeFieldName("vector");
                    Vectors.write(g, m.vector, encoding);
                    g.writeNumberField("clientsAggregated", m.clientsAggregated);
                    g.writeNumberField("consensusSteps", m.consensusSteps);
                    g.writeNumberField("consensusError", m.consensusError);
                    g.writeBooleanField("last", m.last);
                });
    }
}
