package io.dflink.tools;

import io.dflink.jobs.JobConfig;
import io.dflink.jobs.JobOptions;
import io.dflink.jobs.KafkaOptions;
import io.dflink.kafka.Topics;
import io.dflink.serde.VectorEncoding;
import io.dflink.tools.embedded.EmbeddedJob;
import io.dflink.tools.embedded.EmbeddedKafka;
import io.dflink.tools.fleet.Fleet;
import io.dflink.tools.fleet.ScalarRegressionScenario;
import io.dflink.tools.testing.OutsideClient;
import io.dflink.tools.testing.TestCertificates;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secure transport end to end: certificates generated in the test, an in-process broker with an
 * mTLS listener and a SASL_SSL/SCRAM listener. The job (every source, sink and admin client) runs
 * on the MTLS profile, the SDK fleet on the SASL_SSL_SCRAM profile, both chosen with the CLI
 * options; all servers finish their rounds. Clients without a certificate, with a wrong SCRAM
 * password, or in plaintext are refused by the broker.
 */
class SecureTransportITCase {

    @TempDir static Path dir;

    private static EmbeddedKafka kafka;
    private static TestCertificates certs;

    @BeforeAll
    static void startBroker() throws Exception {
        certs = TestCertificates.create(dir);
        kafka =
                EmbeddedKafka.startWithTls(
                        new EmbeddedKafka.Tls(
                                certs.broker(),
                                certs.truststore(),
                                certs.password(),
                                "fleet",
                                "fleet-secret"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void shouldRunTheJobOverMtlsAndTheFleetOverScram() throws Exception {
        String prefix = "tls-" + UUID.randomUUID() + ".";
        JobConfig job =
                JobOptions.parse(
                                "--bootstrap-servers",
                                kafka.bootstrapServers("SSL"),
                                "--security-profile",
                                "MTLS",
                                "--truststore",
                                certs.truststore().toString(),
                                "--truststore-password",
                                certs.password(),
                                "--keystore",
                                certs.client().toString(),
                                "--keystore-password",
                                certs.password(),
                                "--topic-prefix",
                                prefix,
                                "--clients-per-server",
                                "2",
                                "--consensus-steps",
                                "5",
                                "--rounds",
                                "3")
                        .toConfig();
        KafkaOptions fleetOptions = new KafkaOptions();
        new picocli.CommandLine(fleetOptions).parseArgs(scramOptions("fleet-secret"));
        try (EmbeddedJob running = EmbeddedJob.start(job);
                OutsideClient client = new OutsideClient(kafka.bootstrapServers());
                Fleet fleet =
                        Fleet.start(
                                fleetOptions.common(),
                                prefix,
                                ScalarRegressionScenario.paperDefaults(3, 3, 2),
                                0.01,
                                50,
                                VectorEncoding.F64)) {
            client.sendTriangle(prefix + Topics.TOPOLOGY.name());
            assertThat(client.awaitLastModels(prefix + Topics.SERVER_MODELS.name(), 3, 120_000))
                    .allSatisfy((server, m) -> assertThat(m.get("round").asLong()).isEqualTo(3));
            // 3 servers x 2 clients: one join each, then one model per round
            assertThat(fleet.updatesSent()).isEqualTo(3 * 2 + 3 * 2 * 3);
        }
    }

    @Test
    void shouldRefuseClientsWithoutValidCredentials() {
        Properties noCert = new Properties();
        noCert.put("bootstrap.servers", kafka.bootstrapServers("SSL"));
        noCert.put("security.protocol", "SSL");
        noCert.put("ssl.truststore.location", certs.truststore().toString());
        noCert.put("ssl.truststore.password", certs.password());
        assertRefused(noCert);

        Properties wrongPassword = new Properties();
        KafkaOptions scram = new KafkaOptions();
        new picocli.CommandLine(scram).parseArgs(scramOptions("not-the-secret"));
        wrongPassword.putAll(scram.common());
        assertRefused(wrongPassword);

        Properties plaintext = new Properties();
        plaintext.put("bootstrap.servers", kafka.bootstrapServers("SSL"));
        assertRefused(plaintext);
    }

    /** The command line names a refused password and a failed TLS handshake in one line each. */
    @Test
    void shouldTellWhyTheBrokerRefusedTheCommandLine() {
        List<String> wrongPassword = new ArrayList<>(List.of("topics"));
        wrongPassword.addAll(List.of(scramOptions("not-the-secret")));
        wrongPassword.addAll(List.of("--kafka-timeout-seconds", "10"));
        CliRun scram = cli(wrongPassword.toArray(String[]::new));
        assertThat(scram.exitCode()).as(scram.err()).isEqualTo(1);
        assertThat(scram.err())
                .startsWith("dflink topics: Kafka at " + kafka.bootstrapServers("SASL_SSL"))
                .contains("refused the credentials")
                .contains("--sasl-password")
                .doesNotContain("\tat ");

        CliRun noCertificate =
                cli(
                        "topics",
                        "--bootstrap-servers",
                        kafka.bootstrapServers("SSL"),
                        "--security-profile",
                        "SSL",
                        "--truststore",
                        certs.truststore().toString(),
                        "--truststore-password",
                        certs.password(),
                        "--kafka-timeout-seconds",
                        "10");
        assertThat(noCertificate.exitCode()).as(noCertificate.err()).isEqualTo(1);
        assertThat(noCertificate.err())
                .startsWith("dflink topics: the TLS handshake with Kafka at ")
                .contains("--truststore")
                .doesNotContain("\tat ");
    }

    /** The fleet's options on the SASL_SSL listener, with the given SCRAM password. */
    private static String[] scramOptions(String password) {
        return new String[] {
            "--bootstrap-servers",
            kafka.bootstrapServers("SASL_SSL"),
            "--security-profile",
            "SASL_SSL_SCRAM",
            "--truststore",
            certs.truststore().toString(),
            "--truststore-password",
            certs.password(),
            "--sasl-username",
            "fleet",
            "--sasl-password",
            password
        };
    }

    private record CliRun(int exitCode, String err) {}

    private static CliRun cli(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = io.dflink.tools.cli.DflinkCli.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, err.toString());
    }

    private static void assertRefused(Properties p) {
        p.put("request.timeout.ms", "5000");
        p.put("default.api.timeout.ms", "8000");
        try (Admin admin = Admin.create(p)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .as("refused: %s", p.get("bootstrap.servers"))
                    .isNotNull();
        }
    }
}
