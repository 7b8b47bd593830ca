package io.dflink.tools.cli;

import io.dflink.tools.metrics.LocalMetrics;

import picocli.CommandLine.Option;

/** Where a job run in this JVM serves its Flink metrics to Prometheus, if anywhere. */
public class PrometheusOptions {

    @Option(
            names = "--prometheus-port",
            description =
                    "Serve the job's Flink metrics for Prometheus at http://HOST:PORT/metrics"
                            + " (0 = any free port; unset = not served).")
    Integer port;

    @Option(
            names = "--prometheus-host",
            description =
                    "The address the metrics are served on; 0.0.0.0 = every interface"
                            + " (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    LocalMetrics metrics() {
        return port == null ? LocalMetrics.NONE : new LocalMetrics(host, port);
    }
}
