package io.dflink.mqtt;

import io.dflink.settings.InvalidSettingException;
import io.dflink.settings.Require;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;

import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;

/**
 * Where and how to reach an MQTT broker: {@code tcp://host:port} or, with TLS, {@code
 * ssl://host:port} ({@code mqtt://} and {@code mqtts://} too), optional username and password, and
 * for TLS an optional CA certificate (PEM) to trust instead of the JVM's default trust store.
 * Builds MQTT 3.1.1 clients (HiveMQ MQTT client), which every broker speaks.
 */
public record MqttEndpoint(String url, String username, String password, Path caFile) {

    public MqttEndpoint {
        Require.present("mqtt-url", url);
        URI uri = parse(url);
        Require.that(uri.getPort() > 0, "mqtt-url", url, "must name a port: tcp://host:1883");
        Require.that(
                password == null || username != null,
                "mqtt-password-file",
                "(set)",
                "needs --mqtt-username");
        Require.that(
                caFile == null || tls(uri),
                "mqtt-ca-file",
                caFile,
                "applies to ssl:// (or mqtts://) URLs only");
        Require.that(
                caFile == null || Files.isReadable(caFile),
                "mqtt-ca-file",
                caFile,
                "must be a readable PEM file");
    }

    /** Plain TCP to {@code host:port}, no credentials. */
    public static MqttEndpoint plain(String host, int port) {
        return new MqttEndpoint("tcp://" + host + ":" + port, null, null, null);
    }

    public String host() {
        return parse(url).getHost();
    }

    public int port() {
        return parse(url).getPort();
    }

    public boolean isTls() {
        return tls(parse(url));
    }

    /** A client with this endpoint's address, TLS and credentials, identified as {@code id}. */
    public Mqtt3AsyncClient client(String id) {
        Mqtt3ClientBuilder b =
                MqttClient.builder()
                        .useMqttVersion3()
                        .identifier(id)
                        .serverHost(host())
                        .serverPort(port());
        if (isTls()) {
            b = b.sslConfig(sslConfig());
        }
        if (username != null) {
            b =
                    b.simpleAuth()
                            .username(username)
                            .password(
                                    password == null
                                            ? new byte[0]
                                            : password.getBytes(StandardCharsets.UTF_8))
                            .applySimpleAuth();
        }
        return b.buildAsync();
    }

    /** The same endpoint with a password read from the first line of {@code file}. */
    public static String readPassword(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            return (nl < 0 ? text : text.substring(0, nl)).strip();
        } catch (IOException e) {
            throw new InvalidSettingException(
                    "mqtt-password-file", file, "must be a readable file: " + e.getMessage());
        }
    }

    private MqttClientSslConfig sslConfig() {
        return caFile == null
                ? MqttClientSslConfig.builder().build()
                : MqttClientSslConfig.builder().trustManagerFactory(trustOnly(caFile)).build();
    }

    private static TrustManagerFactory trustOnly(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            Require.that(i > 0, "mqtt-ca-file", pem, "must hold at least one PEM certificate");
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidSettingException(
                    "mqtt-ca-file", pem, "must hold PEM certificates: " + e.getMessage());
        }
    }

    private static boolean tls(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("ssl") || scheme.equals("mqtts");
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("mqtt-url", url, "must be a URL: tcp://host:1883");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        Require.that(
                scheme.equals("tcp")
                        || scheme.equals("mqtt")
                        || scheme.equals("ssl")
                        || scheme.equals("mqtts"),
                "mqtt-url",
                url,
                "must start with tcp://, mqtt://, ssl:// or mqtts://");
        Require.that(uri.getHost() != null, "mqtt-url", url, "must name a host");
        return uri;
    }
}
