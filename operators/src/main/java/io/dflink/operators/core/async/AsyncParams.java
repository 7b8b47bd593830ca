package io.dflink.operators.core.async;

import io.dflink.records.AsyncSettings;
import io.dflink.settings.Require;

import java.io.Serializable;

/**
 * The asynchronous client phase's settings (docs/algorithms.md §7): a server applies its buffer
 * every {@code bufferSize} K deltas with server learning rate eta, weighting each by its sample
 * count times {@link StalenessWeight} s(tau); it enters a consensus period with its neighbours
 * every {@code versionsPerEpoch} V versions; deltas more than {@code maxStaleness} versions behind
 * are refused. FedAsync is K = 1 with eta = its mixing weight alpha.
 */
public record AsyncParams(
        int bufferSize,
        int versionsPerEpoch,
        double serverLearningRate,
        StalenessWeight staleness,
        long maxStaleness)
        implements Serializable {

    public AsyncParams {
        Require.atLeast("buffer-size", bufferSize, 1);
        Require.atLeast("versions-per-epoch", versionsPerEpoch, 1);
        Require.positive("server-learning-rate", serverLearningRate);
        Require.present("staleness-weight", staleness);
        Require.atLeast("max-staleness", maxStaleness, 0);
    }

    /** What the devices are told on every model. */
    public AsyncSettings settings() {
        AsyncSettings s = new AsyncSettings();
        s.bufferSize = bufferSize;
        s.versionsPerEpoch = versionsPerEpoch;
        s.maxStaleness = maxStaleness;
        return s;
    }
}
