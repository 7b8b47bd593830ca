package io.dflink.operators.core.testing;

import io.dflink.operators.core.server.ServerOutputs;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;

/** A {@link ServerOutputs} that keeps everything a server emits, for tests to inspect. */
public class CollectingOutputs implements ServerOutputs {
    public final List<ServerModel> models = new ArrayList<>();
    public final List<ConsensusMessage> sent = new ArrayList<>();
    public final List<RoundMetrics> metrics = new ArrayList<>();
    public final List<ControlEvent> control = new ArrayList<>();
    public final List<DeadLetter> rejected = new ArrayList<>();
    public final List<Long> timers = new ArrayList<>();

    @Override
    public void model(ServerModel m) {
        models.add(m);
    }

    @Override
    public void consensus(ConsensusMessage m) {
        sent.add(m);
    }

    @Override
    public void control(ControlEvent e) {
        control.add(e);
    }

    @Override
    public void metrics(RoundMetrics m) {
        metrics.add(m);
    }

    @Override
    public void reject(DeadLetter d) {
        rejected.add(d);
    }

    @Override
    public void timer(long atMillis) {
        timers.add(atMillis);
    }
}
