package io.dflink.tools.testing;

import io.dflink.jobs.JobIo;
import io.dflink.operators.functions.SourceRefTypeInfo;
import io.dflink.records.ClientUpdate;
import io.dflink.records.ConsensusMessage;
import io.dflink.records.SourceRef;
import io.dflink.serde.ClientUpdateCodec;
import io.dflink.serde.ConsensusMessageCodec;
import io.dflink.serde.InvalidEventException;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stage on the job's raw inbound records that fails the task, once each, at three chosen points:
 * on the first client model or delta of a given round (mid client phase; mid buffer for deltas), on
 * the first consensus message of a given round and step (mid consensus step), and on the first
 * record after a checkpoint completes once a given round has been seen (right after a checkpoint).
 * The MiniCluster runs in the test's JVM, so the plan and its log live in static state, under a
 * per-run id.
 */
public final class FaultInjector extends RichMapFunction<SourceRef, SourceRef>
        implements CheckpointListener {

    /** Where to fail; fields are rounds/steps, -1 = never. */
    public record Plan(
            String consensusTopic,
            long clientPhaseRound,
            long consensusRound,
            int consensusStep,
            long afterCheckpointRound) {}

    /** What happened in one run. */
    public static final class Log {
        public final List<String> fired = new CopyOnWriteArrayList<>();
        public final List<Long> firedAtNanos = new CopyOnWriteArrayList<>();
        public final List<Long> recoveredAtNanos = new CopyOnWriteArrayList<>();
        public volatile long maxRoundSeen = -1;
        public volatile boolean armedAfterCheckpoint;
        public volatile int maxAttempt;

        /** Milliseconds from each injected failure to the first record of the next attempt. */
        public List<Double> recoveryMillis() {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < firedAtNanos.size() && i < recoveredAtNanos.size(); i++) {
                out.add((recoveredAtNanos.get(i) - firedAtNanos.get(i)) / 1e6);
            }
            return out;
        }
    }

    private static final Map<String, Plan> PLANS = new ConcurrentHashMap<>();
    private static final Map<String, Log> LOGS = new ConcurrentHashMap<>();

    private final String runId;
    private transient int attempt;
    private transient boolean recoveryNoted;

    FaultInjector(String runId) {
        this.runId = runId;
    }

    /** {@code io} with this injector as its inbound tap, for run {@code runId}. */
    public static JobIo tap(JobIo io, String runId) {
        return io.withInboundTap(
                s ->
                        s.map(new FaultInjector(runId))
                                .returns(SourceRefTypeInfo.INSTANCE)
                                .uid("fault-injector")
                                .name("fault-injector"));
    }

    public static Log register(String runId, Plan plan) {
        PLANS.put(runId, plan);
        Log log = new Log();
        LOGS.put(runId, log);
        return log;
    }

    @Override
    public void open(OpenContext ctx) {
        attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        Log log = LOGS.get(runId);
        log.maxAttempt = Math.max(log.maxAttempt, attempt);
    }

    @Override
    public SourceRef map(SourceRef raw) {
        Plan plan = PLANS.get(runId);
        Log log = LOGS.get(runId);
        noteRecovery(log);
        if (plan.consensusTopic().equals(raw.topic)) {
            ConsensusMessage m = decodeConsensus(raw);
            if (m != null) {
                log.maxRoundSeen = Math.max(log.maxRoundSeen, m.round);
                if (m.round == plan.consensusRound() && m.step == plan.consensusStep()) {
                    fail(log, "mid consensus step (round " + m.round + ", step " + m.step + ")");
                }
            }
        } else {
            ClientUpdate u = decodeUpdate(raw);
            if (u != null && (u.isModel() || u.isDelta()) && u.round == plan.clientPhaseRound()) {
                fail(log, "mid client phase (round " + u.round + ")");
            }
        }
        if (log.armedAfterCheckpoint) {
            fail(log, "right after a checkpoint (round >= " + plan.afterCheckpointRound() + ")");
        }
        return raw;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Plan plan = PLANS.get(runId);
        Log log = LOGS.get(runId);
        if (plan.afterCheckpointRound() >= 0
                && log.maxRoundSeen >= plan.afterCheckpointRound()
                && !log.fired.stream().anyMatch(f -> f.startsWith("right after"))) {
            log.armedAfterCheckpoint = true;
        }
    }

    private void noteRecovery(Log log) {
        if (!recoveryNoted && attempt > 0 && log.recoveredAtNanos.size() < attempt) {
            log.recoveredAtNanos.add(System.nanoTime());
        }
        recoveryNoted = true;
    }

    /** Fails the task once per kind of fault (the static log survives the restart). */
    private static void fail(Log log, String what) {
        synchronized (log) {
            String kind = what.substring(0, what.indexOf(' ', 4));
            if (log.fired.stream().anyMatch(f -> f.startsWith(kind))) {
                return;
            }
            if (what.startsWith("right after")) {
                log.armedAfterCheckpoint = false;
            }
            log.fired.add(what);
            log.firedAtNanos.add(System.nanoTime());
        }
        throw new IllegalStateException("injected failure: " + what);
    }

    private static ConsensusMessage decodeConsensus(SourceRef raw) {
        try {
            return ConsensusMessageCodec.decode(raw.bytes, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            return null;
        }
    }

    private static ClientUpdate decodeUpdate(SourceRef raw) {
        try {
            return ClientUpdateCodec.decode(raw.bytes, Integer.MAX_VALUE);
        } catch (InvalidEventException e) {
            return null;
        }
    }
}
