package io.dflink.tools.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker process (Debian package {@code mosquitto}; {@code .ci/run} installs it)
 * on loopback: one TLS listener with the test PKI's broker certificate, username/password logins
 * only. Its log goes to {@code mosquitto.log} in its directory.
 */
public final class MosquittoProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private MosquittoProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The mosquitto binary, or null when it is not installed. */
    public static Path binary() {
        return installed("mosquitto");
    }

    private static Path installed(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Starts Mosquitto on a free port with TLS ({@code certs}) and the given users, each {@code
     * {name, password}}; returns once it accepts connections.
     */
    public static MosquittoProcess startTls(Path dir, TestCertificates certs, String[]... users)
            throws Exception {
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, "");
        for (String[] user : users) {
            run(passwdTool(), "-b", passwd.toString(), user[0], user[1]);
        }
        int port = freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Path log = dir.resolve("mosquitto.log");
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "user " + System.getProperty("user.name"),
                        "persistence false",
                        "log_dest file " + log,
                        "listener " + port + " 127.0.0.1",
                        "cafile " + certs.caPem(),
                        "certfile " + certs.brokerCertPem(),
                        "keyfile " + certs.brokerKeyPem(),
                        "allow_anonymous false",
                        "password_file " + passwd,
                        // a bridge behind on acknowledgements must not make the broker drop QoS 1
                        "max_queued_messages 0",
                        "max_inflight_messages 0",
                        ""));
        Process p =
                new ProcessBuilder(binary().toString(), "-c", conf.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("mosquitto.out").toFile())
                        .start();
        MosquittoProcess m = new MosquittoProcess(p, port, log);
        m.awaitListening();
        return m;
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    private void awaitListening() throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited: " + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on " + port + ": " + log());
    }

    private static String passwdTool() {
        Path tool = installed("mosquitto_passwd");
        if (tool == null) {
            throw new IllegalStateException(
                    "mosquitto_passwd is not installed (package mosquitto)");
        }
        return tool.toString();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
