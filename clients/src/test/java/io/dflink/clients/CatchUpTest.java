package io.dflink.clients;

import io.dflink.records.ControlEvent;
import io.dflink.records.ServerModel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A late runtime hands its clients each server's latest round only, in protocol order. */
class CatchUpTest {

    @Test
    void shouldKeepOnlyEachServersLatestRoundWithDecisionsBeforeTheirStepsModel() {
        CatchUp history = new CatchUp();
        history.model(model("s0", 0, 0), bytes("s0 r0"));
        history.model(model("s0", 1, 0), bytes("s0 r1"));
        history.model(model("s1", 0, 0), bytes("s1 r0"));
        history.model(model("s0", 2, 0), bytes("s0 r2"));
        history.model(model("s0", 2, 3), bytes("s0 r2 sync 3")); // read before its decision
        history.control(control("s0", 1, 2), bytes("s0 r1 decide 2"));
        history.control(control("s0", 2, 3), bytes("s0 r2 decide 3"));
        history.control(control("s0", 2, 1), bytes("s0 r2 decide 1"));
        history.model(model("s1", 3, 2), bytes("s1 r3 step 2")); // round 3 not seen from its start

        Map<String, List<CatchUp.Held>> latest = history.latestRounds();

        assertThat(texts(latest.get("s0")))
                .containsExactly("s0 r2", "s0 r2 decide 1", "s0 r2 decide 3", "s0 r2 sync 3");
        assertThat(texts(latest.get("s1"))).containsExactly("s1 r0");
    }

    private static List<String> texts(List<CatchUp.Held> held) {
        return held.stream().map(h -> new String(h.value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ServerModel model(String server, long round, int step) {
        ServerModel m = new ServerModel(server, round, new double[] {1, 2});
        m.step = step;
        return m;
    }

    private static ControlEvent control(String server, long round, int step) {
        ControlEvent c = new ControlEvent();
        c.serverId = server;
        c.round = round;
        c.step = step;
        return c;
    }
}
