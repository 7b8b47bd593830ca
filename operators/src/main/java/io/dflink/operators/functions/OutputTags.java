package io.dflink.operators.functions;

import io.dflink.records.ConsensusMessage;
import io.dflink.records.ControlEvent;
import io.dflink.records.DeadLetter;
import io.dflink.records.RoundMetrics;

import org.apache.flink.util.OutputTag;

/** The side outputs of dflink's operators; one place so wiring and tests agree on them. */
public final class OutputTags {

    public static final OutputTag<ConsensusMessage> CONSENSUS = new OutputTag<>("consensus") {};

    public static final OutputTag<ControlEvent> CONTROL = new OutputTag<>("control") {};

    public static final OutputTag<RoundMetrics> METRICS = new OutputTag<>("metrics") {};

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private OutputTags() {}
}
