package io.dflink.tools.metrics;

import io.dflink.metrics.BoundPrometheusReporterFactory;
import io.dflink.settings.Require;

import org.apache.flink.configuration.Configuration;

/**
 * The metrics settings of a job run in this JVM: with a Prometheus port, dflink's bound Prometheus
 * reporter ({@link BoundPrometheusReporterFactory}) named {@code prom} on the given address. A
 * Flink cluster configures its reporters itself (README, "Metrics").
 */
public record LocalMetrics(String prometheusHost, int prometheusPort) {

    /** No reporter: the metrics stay in Flink's web UI and the job's topics. */
    public static final LocalMetrics NONE = new LocalMetrics("127.0.0.1", -1);

    private static final String PREFIX = "metrics.reporter.prom.";

    public LocalMetrics {
        Require.that(
                prometheusPort >= -1 && prometheusPort <= 65535,
                "prometheus-port",
                prometheusPort,
                "0..65535 (0 = any free port)");
        Require.that(
                prometheusHost != null && !prometheusHost.isBlank(),
                "prometheus-host",
                prometheusHost,
                "must name an address");
    }

    public boolean prometheus() {
        return prometheusPort >= 0;
    }

    /** Adds the reporter's settings to {@code conf} (the local environment's configuration). */
    public Configuration applyTo(Configuration conf) {
        if (prometheus()) {
            conf.setString(
                    PREFIX + "factory.class", BoundPrometheusReporterFactory.class.getName());
            conf.setString(PREFIX + BoundPrometheusReporterFactory.HOST, prometheusHost);
            conf.setString(PREFIX + BoundPrometheusReporterFactory.PORT, "" + prometheusPort);
            // the Kafka clients' own metrics (a hundred per source and sink, each labelled with
            // the whole task name) made up most of a scrape's megabyte and of its cost
            conf.setString(PREFIX + "filter.excludes", "*.KafkaProducer;*.KafkaConsumer");
            // the task's name repeats every operator of the chain (hundreds of characters on
            // every series); operator_name and task_id say the same
            conf.setString(PREFIX + "scope.variables.excludes", "task_name;task_attempt_id");
        }
        return conf;
    }
}
