package io.dflink.metrics;

import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetSocketAddress;

/**
 * Flink's Prometheus reporter, serving {@code /metrics} on a chosen address instead of every
 * interface: a local run ({@code dflink run}, {@code dflink demo}) or the local cluster exposes its
 * metrics on loopback unless told otherwise. Metric names, labels and types are those of Flink's
 * own {@code PrometheusReporter} (the same {@link AbstractPrometheusReporter} turns Flink's metrics
 * into Prometheus collectors), so a dashboard written for a cluster works here too. Given a port
 * range, it takes the first free port, as Flink's reporter does, so that the processes of one host
 * share a range.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {

    private final HTTPServer server;

    BoundPrometheusReporter(String host, int firstPort, int lastPort) {
        server = serve(host, firstPort, lastPort, registryOf(this));
        log.info("serving Prometheus metrics on http://{}:{}/metrics", host, server.getPort());
    }

    /** The port it listens on (the one chosen in a range, or for port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    private static HTTPServer serve(String host, int first, int last, CollectorRegistry registry) {
        IOException failure = null;
        for (int port = first; port <= last; port++) {
            try {
                return new HTTPServer(new InetSocketAddress(host, port), registry, true);
            } catch (BindException taken) {
                failure = taken;
            } catch (IOException e) {
                failure = e;
                break;
            }
        }
        String ports = first == last ? "" + first : first + "-" + last;
        throw new UncheckedIOException(
                "cannot serve Prometheus metrics on "
                        + host
                        + ":"
                        + ports
                        + ": "
                        + failure.getMessage(),
                failure);
    }

    /**
     * The collectors' registry: Flink keeps it package-private, and the HTTP server needs it. The
     * field has had this name since the reporter exists; a Flink without it fails here, at start.
     */
    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(reporter);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(
                    "this Flink's AbstractPrometheusReporter has no collector registry field", e);
        }
    }
}
