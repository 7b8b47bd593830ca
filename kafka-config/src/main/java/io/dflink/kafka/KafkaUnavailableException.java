package io.dflink.kafka;

/**
 * Kafka could not be used at the given address: nothing answered in time, the broker refused the
 * credentials or the TLS handshake, or topics a tool needs do not exist. The message says which, in
 * one line; {@link #problem()} lets a command line add what to do about it.
 */
public final class KafkaUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Problem {
        /** No broker answered within the timeout (down, wrong address, firewall). */
        UNREACHABLE,
        /** The broker refused the SASL credentials. */
        AUTHENTICATION,
        /** The TLS handshake failed (untrusted certificate, wrong store, not a TLS listener). */
        TLS,
        /** The broker answered, but topics the command needs do not exist. */
        MISSING_TOPICS
    }

    private final Problem problem;
    private final String bootstrapServers;

    public KafkaUnavailableException(
            Problem problem, String bootstrapServers, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
        this.bootstrapServers = bootstrapServers;
    }

    public Problem problem() {
        return problem;
    }

    /** The address that was tried. */
    public String bootstrapServers() {
        return bootstrapServers;
    }
}
