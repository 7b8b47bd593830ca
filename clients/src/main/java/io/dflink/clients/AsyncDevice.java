package io.dflink.clients;

import io.dflink.records.ClientUpdate;
import io.dflink.records.ServerModel;

/**
 * One device under the asynchronous client phase (docs/algorithms.md §7), at its own {@link
 * DevicePace}: whenever it is free and online it takes the newest model version of its server it
 * has seen, trains {@code localSteps} steps from it, and after the time those steps take uploads
 * the {@code delta} (trained minus that model) tagged with the model's version; then it starts
 * again from the newest version. A driver calls {@link #onServerModel} for every model it reads and
 * {@link #poll} with its clock (wall time in a fleet, simulated time in a benchmark). Stops at the
 * run's last model. Not thread-safe.
 */
public final class AsyncDevice {

    private final String clientId;
    private final String serverId;
    private final LocalTrainer trainer;
    private final int localSteps;
    private final DevicePace pace;

    private ServerModel latest;
    private ServerModel base;
    private double[] trained;
    private long readyAt;
    private boolean finished;

    public AsyncDevice(
            String clientId,
            String serverId,
            LocalTrainer trainer,
            int localSteps,
            DevicePace pace) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("local steps must be >= 1");
        }
        this.clientId = clientId;
        this.serverId = serverId;
        this.trainer = trainer;
        this.localSteps = localSteps;
        this.pace = pace;
    }

    public String clientId() {
        return clientId;
    }

    public String serverId() {
        return serverId;
    }

    public DevicePace pace() {
        return pace;
    }

    /** Keeps the newest version of its server's model; the last model ends the device's work. */
    public void onServerModel(ServerModel m) {
        if (!serverId.equals(m.serverId)) {
            return;
        }
        if (m.last) {
            finished = true;
        } else if (m.async != null && (latest == null || m.version > latest.version)) {
            latest = m;
        }
    }

    /**
     * The delta to upload at {@code nowMillis}, or null; starts the next training when free. After
     * a delta, call again at once: the device starts on the newest model without waiting.
     */
    public ClientUpdate poll(long nowMillis) {
        if (finished || !pace.onlineAt(nowMillis)) {
            return null;
        }
        if (trained != null) {
            if (nowMillis < readyAt) {
                return null;
            }
            double[] delta = new double[trained.length];
            for (int j = 0; j < delta.length; j++) {
                delta[j] = trained[j] - base.vector[j];
            }
            ClientUpdate u =
                    ClientUpdate.delta(
                            clientId,
                            serverId,
                            base.round,
                            base.version,
                            trainer.sampleCount(),
                            delta);
            trained = null;
            return u;
        }
        if (latest != null) {
            base = latest;
            trained = trainer.train(base.vector, localSteps);
            readyAt = nowMillis + pace.millisFor(localSteps);
        }
        return null;
    }

    /** When the running training is done (a simulated clock may jump there), or -1 when idle. */
    public long readyAtMillis() {
        return trained == null ? -1 : readyAt;
    }

    public boolean finished() {
        return finished;
    }
}
