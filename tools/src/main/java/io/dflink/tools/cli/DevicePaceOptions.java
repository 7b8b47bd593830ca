package io.dflink.tools.cli;

import io.dflink.clients.DevicePace;
import io.dflink.settings.InvalidSettingException;
import io.dflink.settings.Require;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * How the simulated devices behave in time ({@code dflink fleet}): lock-step, or asynchronous at
 * seeded log-normal speeds with some devices away for a while.
 */
public class DevicePaceOptions {

    /** The devices' client phase; it must be the job's {@code --client-phase}. */
    enum Phase {
        SYNC,
        ASYNC
    }

    @Option(
            names = "--client-phase",
            description =
                    "SYNC (answer every round's model at once) or ASYNC (upload deltas at the"
                            + " device's own pace; run the job with --client-phase ASYNC)"
                            + " (default: ${DEFAULT-VALUE}).")
    Phase phase = Phase.SYNC;

    @Option(
            names = "--millis-per-step",
            description =
                    "ASYNC: the median device's time per local step, in ms (default:"
                            + " ${DEFAULT-VALUE}).")
    double millisPerStep = 1.0;

    @Option(
            names = "--speed-spread",
            description =
                    "ASYNC: sigma of the log-normal spread of the devices' step times, seeded by"
                            + " --seed; 0 = all alike (default: ${DEFAULT-VALUE}).")
    double speedSpread = 0;

    @Option(
            names = "--offline-devices",
            description =
                    "ASYNC: how many devices (c0 of s0, s1, ..., then c1 of each) go away for"
                            + " --offline-for-ms from --offline-from-ms (default: ${DEFAULT-VALUE}).")
    int offlineDevices = 0;

    @Option(
            names = "--offline-from-ms",
            description =
                    "ASYNC: when the offline devices go away, in ms after the fleet started"
                            + " (default: ${DEFAULT-VALUE}).")
    long offlineFromMillis = 5_000;

    @Option(
            names = "--offline-for-ms",
            description = "ASYNC: how long they stay away, in ms (default: ${DEFAULT-VALUE}).")
    long offlineForMillis = 5_000;

    boolean isAsync() {
        return phase == Phase.ASYNC;
    }

    /** One pace per device, server-major, for {@code servers} x {@code clients} devices. */
    List<DevicePace> paces(int servers, int clients, long seed) {
        Require.nonNegative("millis-per-step", millisPerStep);
        Require.nonNegative("speed-spread", speedSpread);
        Require.nonNegative("offline-from-ms", offlineFromMillis);
        Require.nonNegative("offline-for-ms", offlineForMillis);
        Require.that(
                offlineDevices >= 0 && offlineDevices <= servers * clients,
                "offline-devices",
                offlineDevices,
                "must be between 0 and the fleet's " + servers * clients + " devices");
        List<DevicePace> paces =
                new ArrayList<>(
                        DevicePace.logNormal(servers * clients, millisPerStep, speedSpread, seed));
        for (int k = 0; k < offlineDevices; k++) {
            int i = (k % servers) * clients + k / servers;
            paces.set(
                    i,
                    paces.get(i)
                            .awayDuring(offlineFromMillis, offlineFromMillis + offlineForMillis));
        }
        return paces;
    }

    /** Refuses pace settings a lock-step fleet would silently ignore. */
    void check() {
        if (!isAsync() && (speedSpread != 0 || offlineDevices != 0)) {
            throw new InvalidSettingException(
                    "client-phase",
                    "SYNC",
                    "--speed-spread and --offline-devices pace asynchronous devices: add"
                            + " --client-phase ASYNC");
        }
    }
}
