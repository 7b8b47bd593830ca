package io.dflink.clients;

import io.dflink.records.ControlEvent;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a runtime that starts while the federation runs hands its clients from the topics' history:
 * per server, only its latest round, from the round's model on (later iterates and sync averages of
 * the round, and the round's decisions, in protocol order), never the rounds before it. A late
 * device thus starts from its server's latest model, as the drift bases of FDA and the gradient
 * table of LT-ADMM's SAGA expect, instead of training once per past round only to have every answer
 * refused as stale; a restarted fleet still catches up with the round in progress.
 */
final class CatchUp {

    /** One record of a server's latest round; decisions go before the model of the same step. */
    record Held(boolean control, int step, long arrival, byte[] value) {}

    private final Map<String, Long> latestRound = new HashMap<>();
    private final Map<String, List<Held>> models = new TreeMap<>();
    private final Map<String, List<Held>> controls = new TreeMap<>();
    private final Map<String, List<Long>> controlRounds = new HashMap<>();
    private long arrivals;

    /** A model read from the history. */
    void model(ServerModel m, byte[] value) {
        long latest = latestRound.getOrDefault(m.serverId, -1L);
        if (m.round < latest || (m.round > latest && m.step != 0)) {
            return; // an older round, or a later one whose opening model was not read
        }
        if (m.round > latest) {
            latestRound.put(m.serverId, m.round);
            models.put(m.serverId, new ArrayList<>());
        }
        models.get(m.serverId).add(new Held(false, m.step, arrivals++, value));
    }

    /** A decision read from the history. */
    void control(ControlEvent c, byte[] value) {
        controls.computeIfAbsent(c.serverId, k -> new ArrayList<>())
                .add(new Held(true, c.step, arrivals++, value));
        controlRounds.computeIfAbsent(c.serverId, k -> new ArrayList<>()).add(c.round);
    }

    /** Per server (sorted), its latest round's records in protocol order. */
    Map<String, List<Held>> latestRounds() {
        Map<String, List<Held>> out = new TreeMap<>();
        models.forEach(
                (server, own) -> {
                    List<Held> round = new ArrayList<>(own);
                    List<Held> decided = controls.getOrDefault(server, List.of());
                    List<Long> rounds = controlRounds.getOrDefault(server, List.of());
                    for (int k = 0; k < decided.size(); k++) {
                        if (rounds.get(k) == latestRound.get(server).longValue()) {
                            round.add(decided.get(k));
                        }
                    }
                    round.sort(
                            Comparator.comparingInt(Held::step)
                                    .thenComparing(h -> !h.control())
                                    .thenComparingLong(Held::arrival));
                    out.put(server, round);
                });
        return out;
    }
}
