package io.dflink.metrics;

import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Properties;

/**
 * Creates {@link BoundPrometheusReporter}s from a reporter's settings ({@code
 * metrics.reporter.<name>.*}): {@code host} (default 127.0.0.1) and {@code port}, one port or a
 * range {@code FIRST-LAST} (default 9249; 0 = any free port). For example:
 *
 * <pre>
 * metrics.reporter.prom.factory.class: io.dflink.metrics.BoundPrometheusReporterFactory
 * metrics.reporter.prom.host: 127.0.0.1
 * metrics.reporter.prom.port: 9249-9260
 * </pre>
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {

    public static final String HOST = "host";
    public static final String PORT = "port";

    @Override
    public BoundPrometheusReporter createMetricReporter(Properties properties) {
        String host = properties.getProperty(HOST, "127.0.0.1");
        String port = properties.getProperty(PORT, "9249").trim();
        int dash = port.indexOf('-');
        try {
            int first = Integer.parseInt(dash < 0 ? port : port.substring(0, dash).trim());
            int last = dash < 0 ? first : Integer.parseInt(port.substring(dash + 1).trim());
            if (first < 0 || last > 65535 || last < first) {
                throw new NumberFormatException();
            }
            return new BoundPrometheusReporter(host, first, last);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "metrics reporter port must be a port or a range FIRST-LAST within 0..65535,"
                            + " got '"
                            + port
                            + "'");
        }
    }
}
