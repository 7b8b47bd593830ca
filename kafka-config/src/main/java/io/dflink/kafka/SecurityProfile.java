package io.dflink.kafka;

import io.dflink.settings.InvalidSettingException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The transport-security settings every Kafka client of dflink (job sources and sinks, SDK, tools)
 * is given, as Kafka client properties. One place, so that no client is forgotten.
 */
public enum SecurityProfile {
    /** No encryption, no authentication: loopback and private networks only. */
    PLAINTEXT,
    /** TLS: the broker is verified against the truststore; clients stay anonymous. */
    SSL,
    /** Mutual TLS: TLS plus a client certificate from the keystore (principal = its DN). */
    MTLS,
    /** TLS plus SASL/SCRAM-SHA-512 user name and password. */
    SASL_SSL_SCRAM;

    /** Where the key material comes from; unused fields may be null. */
    public record Material(
            String truststore,
            String truststorePassword,
            String keystore,
            String keystorePassword,
            String keyPassword,
            String username,
            String password) {}

    /** The client properties of this profile; throws when required material is missing. */
    public Map<String, String> properties(Material m) {
        Map<String, String> p = new LinkedHashMap<>();
        if (this == PLAINTEXT) {
            return p;
        }
        p.put("security.protocol", this == SASL_SSL_SCRAM ? "SASL_SSL" : "SSL");
        p.put("ssl.truststore.location", required(m.truststore(), "truststore"));
        putIfSet(p, "ssl.truststore.password", m.truststorePassword());
        if (this == MTLS) {
            p.put("ssl.keystore.location", required(m.keystore(), "keystore"));
            putIfSet(p, "ssl.keystore.password", m.keystorePassword());
            putIfSet(p, "ssl.key.password", m.keyPassword());
        }
        if (this == SASL_SSL_SCRAM) {
            p.put("sasl.mechanism", "SCRAM-SHA-512");
            p.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\""
                            + required(m.username(), "sasl-username")
                            + "\" password=\""
                            + required(m.password(), "sasl-password")
                            + "\";");
        }
        return p;
    }

    private String required(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(
                    setting, null, "is required with --security-profile " + name());
        }
        return value;
    }

    private static void putIfSet(Map<String, String> p, String key, String value) {
        if (value != null && !value.isBlank()) {
            p.put(key, value);
        }
    }
}
