package io.dflink.tools.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away PKI made with the JDK's keytool: a CA, a broker certificate for 127.0.0.1 and a
 * client certificate, both signed by the CA, in PKCS12 stores sharing one password, plus a
 * truststore holding only the CA.
 */
public record TestCertificates(Path truststore, Path broker, Path client, String password) {

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        String pw = "dflink-test-pw";
        Path ca = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path trust = dir.resolve("trust.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "ca",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=dflink-test-ca",
                "-ext",
                "bc:c",
                "-validity",
                "2",
                "-keystore",
                ca.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pw,
                "-keypass",
                pw);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-storepass",
                pw,
                "-file",
                caPem.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caPem.toString(),
                "-keystore",
                trust.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pw);
        Path broker = signed(dir, "broker", "SAN=ip:127.0.0.1,dns:localhost", ca, caPem, pw);
        Path client = signed(dir, "client", "EKU=clientAuth", ca, caPem, pw);
        return new TestCertificates(trust, broker, client, pw);
    }

    private static Path signed(Path dir, String name, String ext, Path ca, Path caPem, String pw)
            throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Path csr = dir.resolve(name + ".csr");
        Path pem = dir.resolve(name + ".pem");
        keytool(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=" + name,
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                pw,
                "-keypass",
                pw);
        keytool(
                "-certreq",
                "-alias",
                name,
                "-keystore",
                store.toString(),
                "-storepass",
                pw,
                "-file",
                csr.toString());
        keytool(
                "-gencert",
                "-alias",
                "ca",
                "-keystore",
                ca.toString(),
                "-storepass",
                pw,
                "-infile",
                csr.toString(),
                "-outfile",
                pem.toString(),
                "-rfc",
                "-validity",
                "2",
                "-ext",
                ext);
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "ca",
                "-file",
                caPem.toString(),
                "-keystore",
                store.toString(),
                "-storepass",
                pw);
        keytool(
                "-importcert",
                "-alias",
                name,
                "-file",
                pem.toString(),
                "-keystore",
                store.toString(),
                "-storepass",
                pw);
        return store;
    }

    /** The CA certificate, PEM (what a client trusts). */
    public Path caPem() {
        return truststore.resolveSibling("ca.pem");
    }

    /** The broker's certificate, PEM, signed by the CA (for brokers configured by files). */
    public Path brokerCertPem() {
        return truststore.resolveSibling("broker.pem");
    }

    /** The broker's private key as unencrypted PKCS#8 PEM, written next to the stores. */
    public Path brokerKeyPem() throws java.io.IOException, java.security.GeneralSecurityException {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(broker)) {
            ks.load(in, password.toCharArray());
        }
        java.security.Key key = ks.getKey("broker", password.toCharArray());
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + java.util.Base64.getMimeEncoder(
                                        64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        Path file = truststore.resolveSibling("broker.key");
        java.nio.file.Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(
                    "keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
