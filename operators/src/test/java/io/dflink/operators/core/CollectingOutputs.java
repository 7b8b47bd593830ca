package io.dflink.operators.core;

import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;
import io.dflink.records.ServerModel;

import java.util.ArrayList;
import java.util.List;

/** A {@link ServerOutputs} that keeps everything a server emits, for tests to inspect. */
class CollectingOutputs implements ServerOutputs {
    final List<ServerModel> models = new ArrayList<>();
    final List<ConsensusMessage> sent = new ArrayList<>();
    final List<RoundMetrics> metrics = new ArrayList<>();
    final List<ControlEvent> control = new ArrayList<>();
    final List<DeadLetter> rejected = new ArrayList<>();

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
}
