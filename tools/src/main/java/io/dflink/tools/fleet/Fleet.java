package io.dflink.tools.fleet;

import io.dflink.clients.AsyncDevice;
import io.dflink.clients.ClientRuntime;
import io.dflink.clients.DevicePace;
import io.dflink.clients.FederatedClient;
import io.dflink.clients.LinearRegressionTrainer;
import io.dflink.security.ClientKeys;
import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A simulated fleet on the client SDK behind one {@link ClientRuntime} running on its own thread:
 * every client of a {@link ScalarRegressionScenario}, each training {@code localSteps} gradient
 * steps of size {@code stepSize} per round (DFL), following its server's FDA decisions, or
 * answering LT-ADMM servers with gradients of its samples; or as asynchronous devices at their own
 * pace; or any other set of devices, such as the LoRA adapters of a {@link LowRankScenario}.
 */
public final class Fleet implements AutoCloseable {

    private final ClientRuntime runtime;
    private final Thread thread;

    private Fleet(ClientRuntime runtime) {
        this.runtime = runtime;
        this.thread = new Thread(runtime::run, "dflink-fleet");
        thread.setDaemon(true);
    }

    public static Fleet start(
            Properties kafka,
            String topicPrefix,
            ScalarRegressionScenario scenario,
            double stepSize,
            int localSteps,
            VectorEncoding encoding) {
        return start(kafka, topicPrefix, scenario, stepSize, localSteps, Publishing.json(encoding));
    }

    /** As above; clients listed in {@code keys} sign their updates. */
    public static Fleet start(
            Properties kafka,
            String topicPrefix,
            ScalarRegressionScenario scenario,
            double stepSize,
            int localSteps,
            Publishing publishing) {
        return start(kafka, topicPrefix, devices(scenario, stepSize, localSteps), publishing);
    }

    /**
     * The scenario's devices by server: gradient-descent trainers on their shards, answering
     * LT-ADMM's gradient requests too; any transport can host them (Kafka here, MQTT in {@link
     * MqttFleet}).
     */
    public static Map<String, List<FederatedClient>> devices(
            ScalarRegressionScenario scenario, double stepSize, int localSteps) {
        Map<String, List<FederatedClient>> devices = new LinkedHashMap<>();
        for (int s = 0; s < scenario.servers(); s++) {
            for (int c = 0; c < scenario.clientsPerServer(); c++) {
                LinearRegressionTrainer trainer =
                        new LinearRegressionTrainer(scenario.dataset(s, c), stepSize);
                devices.computeIfAbsent(
                                ScalarRegressionScenario.serverId(s), k -> new ArrayList<>())
                        .add(
                                new FederatedClient(
                                                ScalarRegressionScenario.clientId(s, c),
                                                ScalarRegressionScenario.serverId(s),
                                                trainer,
                                                localSteps)
                                        .answeringGradients(trainer));
            }
        }
        return devices;
    }

    /**
     * The scenario's clients as asynchronous devices ({@code --client-phase ASYNC}): client i (in
     * server-major order) trains at {@code paces.get(i)}, {@code localSteps} steps per delta.
     */
    public static Fleet startAsync(
            Properties kafka,
            String topicPrefix,
            ScalarRegressionScenario scenario,
            double stepSize,
            int localSteps,
            List<DevicePace> paces,
            Publishing publishing) {
        int n = scenario.servers() * scenario.clientsPerServer();
        if (paces.size() != n) {
            throw new IllegalArgumentException(
                    "one pace per device: " + n + " devices, " + paces.size() + " paces");
        }
        ClientRuntime runtime = publishing.runtime(kafka, topicPrefix);
        for (int s = 0; s < scenario.servers(); s++) {
            for (int c = 0; c < scenario.clientsPerServer(); c++) {
                runtime.add(
                        new AsyncDevice(
                                ScalarRegressionScenario.clientId(s, c),
                                ScalarRegressionScenario.serverId(s),
                                new LinearRegressionTrainer(scenario.dataset(s, c), stepSize),
                                localSteps,
                                paces.get(s * scenario.clientsPerServer() + c)));
            }
        }
        Fleet fleet = new Fleet(runtime);
        fleet.thread.start();
        return fleet;
    }

    /** Any set of SDK devices, by server (e.g. {@link LowRankScenario#devices}). */
    public static Fleet start(
            Properties kafka,
            String topicPrefix,
            Map<String, List<FederatedClient>> devices,
            Publishing publishing) {
        ClientRuntime runtime = publishing.runtime(kafka, topicPrefix);
        devices.values().forEach(own -> own.forEach(runtime::add));
        Fleet fleet = new Fleet(runtime);
        fleet.thread.start();
        return fleet;
    }

    /**
     * How the fleet's devices publish: the value format, how vectors are written, and the keys of
     * the clients that sign their updates.
     */
    public record Publishing(UpdateFormat format, VectorEncoding encoding, ClientKeys keys) {

        /** JSON updates, unsigned. */
        public static Publishing json(VectorEncoding encoding) {
            return new Publishing(UpdateFormat.JSON, encoding, ClientKeys.none());
        }

        ClientRuntime runtime(Properties kafka, String topicPrefix) {
            return new ClientRuntime(kafka, topicPrefix, encoding).sendAs(format).signWith(keys);
        }
    }

    public long updatesSent() {
        return runtime.updatesSent();
    }

    @Override
    public void close() throws InterruptedException {
        runtime.stop();
        thread.join(10_000);
    }
}
