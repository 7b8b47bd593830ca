package io.dflink.tools.cli;

import io.dflink.serde.UpdateFormat;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.bench.MqttBenchmark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code dflink bench mqtt}: the devices -> MQTT -> bridge -> job -> MQTT loop, timed. */
@Command(
        name = "mqtt",
        mixinStandardHelpOptions = true,
        description =
                "Runs a fleet of MQTT devices (one connection each) that answer every model with"
                        + " an update, through the MQTT bridge and the job, and reports events/s"
                        + " and a server's round as devices see it (model r to model r + 1 on"
                        + " MQTT) p50/p95. Uses an in-process MQTT broker unless --external-mqtt"
                        + " (then --mqtt-url, e.g. a Mosquitto). Writes mqtt-report.json.")
public final class MqttBenchCommand implements Callable<Integer> {

    @Option(names = "--devices", description = "MQTT devices (default: ${DEFAULT-VALUE}).")
    int devices = 10_000;

    @Option(names = "--servers", description = "Servers (default: ${DEFAULT-VALUE}).")
    int servers = 16;

    @Option(names = "--dim", description = "Update size d (default: ${DEFAULT-VALUE}).")
    int dim = 100;

    @Option(
            names = "--rounds",
            description = "Rounds; round 1 is left out of the figures (default: ${DEFAULT-VALUE}).")
    int rounds = 10;

    @Option(
            names = "--update-format",
            description = "JSON or BINARY updates (default: ${DEFAULT-VALUE}).")
    UpdateFormat format = UpdateFormat.BINARY;

    @Option(
            names = "--encoding",
            description = "Vector encoding of updates and models (default: ${DEFAULT-VALUE}).")
    VectorEncoding encoding = VectorEncoding.F64;

    @Option(
            names = "--parallelism",
            description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(
            names = "--external-mqtt",
            description = "Use the MQTT broker of --mqtt-url instead of an in-process one.")
    boolean external;

    @Mixin MqttOptions mqtt = new MqttOptions();

    @Mixin BenchOutput output = new BenchOutput();

    @Override
    public Integer call() throws Exception {
        MqttBenchmark.Result r =
                MqttBenchmark.run(
                        new MqttBenchmark.Settings(
                                devices,
                                servers,
                                dim,
                                rounds,
                                format,
                                encoding,
                                parallelism,
                                external ? mqtt.endpoint() : null),
                        System.out);
        output.writeJson("mqtt-report.json", r);
        return 0;
    }
}
