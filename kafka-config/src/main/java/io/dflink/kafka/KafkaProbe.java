package io.dflink.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks, before a command starts real work, that Kafka answers at the configured address within a
 * bounded time, accepts the client's credentials, and has the topics the command needs. Kafka's own
 * clients retry for a minute or more and then fail with a timeout deep inside a stack trace; this
 * turns each case into one {@link KafkaUnavailableException} that says what was tried.
 */
public final class KafkaProbe {

    private KafkaProbe() {}

    /** Throws unless the cluster answers within {@code timeout}. */
    public static void check(Properties common, Duration timeout) {
        check(common, timeout, List.of());
    }

    /**
     * Throws unless the cluster answers within {@code timeout} and every topic of {@code
     * requiredTopics} exists.
     */
    public static void check(
            Properties common, Duration timeout, Collection<String> requiredTopics) {
        String bootstrap = String.valueOf(common.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Properties p = new Properties();
        p.putAll(common);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(millis));
        Admin admin = create(p, bootstrap);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                    .nodes()
                    .get(millis + 1_000L, TimeUnit.MILLISECONDS);
            if (!requiredTopics.isEmpty()) {
                Set<String> existing =
                        admin.listTopics(new ListTopicsOptions().timeoutMs(millis))
                                .names()
                                .get(millis + 1_000L, TimeUnit.MILLISECONDS);
                List<String> missing =
                        requiredTopics.stream().filter(t -> !existing.contains(t)).toList();
                if (!missing.isEmpty()) {
                    throw new KafkaUnavailableException(
                            KafkaUnavailableException.Problem.MISSING_TOPICS,
                            bootstrap,
                            "Kafka at " + bootstrap + " has no topic " + String.join(", ", missing),
                            null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(bootstrap, timeout, e);
        } catch (ExecutionException e) {
            throw classify(bootstrap, timeout, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(bootstrap, timeout, e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }

    private static Admin create(Properties p, String bootstrap) {
        try {
            return Admin.create(p);
        } catch (KafkaException e) {
            // e.g. "No resolvable bootstrap urls": Kafka says why in the cause
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new KafkaUnavailableException(
                    KafkaUnavailableException.Problem.UNREACHABLE,
                    bootstrap,
                    "cannot reach Kafka at " + bootstrap + ": " + why.getMessage(),
                    e);
        }
    }

    private static KafkaUnavailableException classify(
            String bootstrap, Duration timeout, Throwable cause) {
        if (cause instanceof SslAuthenticationException) {
            return new KafkaUnavailableException(
                    KafkaUnavailableException.Problem.TLS,
                    bootstrap,
                    "the TLS handshake with Kafka at "
                            + bootstrap
                            + " failed: "
                            + rootMessage(cause),
                    cause);
        }
        if (cause instanceof SaslAuthenticationException
                || cause instanceof AuthenticationException) {
            return new KafkaUnavailableException(
                    KafkaUnavailableException.Problem.AUTHENTICATION,
                    bootstrap,
                    "Kafka at " + bootstrap + " refused the credentials: " + rootMessage(cause),
                    cause);
        }
        return unreachable(bootstrap, timeout, cause);
    }

    private static KafkaUnavailableException unreachable(
            String bootstrap, Duration timeout, Throwable cause) {
        return new KafkaUnavailableException(
                KafkaUnavailableException.Problem.UNREACHABLE,
                bootstrap,
                "no Kafka broker answered at " + bootstrap + " within " + seconds(timeout),
                cause);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : root.toString();
        return m.lines().findFirst().orElse(m);
    }
}
