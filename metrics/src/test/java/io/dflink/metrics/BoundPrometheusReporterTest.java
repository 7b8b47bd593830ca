package io.dflink.metrics;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reporter's HTTP endpoint: on the address given, the first free port of a range. */
class BoundPrometheusReporterTest {

    @Test
    void shouldServeMetricsOnTheGivenAddress() throws Exception {
        BoundPrometheusReporter reporter = create("127.0.0.1", "0");
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + reporter.port()
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        } finally {
            reporter.close();
        }
    }

    @Test
    void shouldTakeTheNextPortOfARangeWhenOneIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            // the port after it may be taken too; a range of 20 leaves room
            BoundPrometheusReporter reporter = create("127.0.0.1", port + "-" + (port + 20));
            try {
                assertThat(reporter.port()).isGreaterThan(port).isLessThanOrEqualTo(port + 20);
            } finally {
                reporter.close();
            }
        }
    }

    @Test
    void shouldSayWhichAddressIsTakenWhenTheRangeIsFull() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> create("127.0.0.1", "" + port))
                    .hasMessageContaining("cannot serve Prometheus metrics on 127.0.0.1:" + port);
        }
    }

    @Test
    void shouldRefuseAPortThatIsNoPort() {
        assertThatThrownBy(() -> create("127.0.0.1", "9260-9249"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'9260-9249'");
        assertThatThrownBy(() -> create("127.0.0.1", "http"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BoundPrometheusReporter create(String host, String port) {
        Properties p = new Properties();
        p.setProperty(BoundPrometheusReporterFactory.HOST, host);
        p.setProperty(BoundPrometheusReporterFactory.PORT, port);
        return new BoundPrometheusReporterFactory().createMetricReporter(p);
    }
}
