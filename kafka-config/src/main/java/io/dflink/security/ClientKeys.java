package io.dflink.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * Binds each client to the one server it may contribute to, and proves it: every {@code
 * client-updates} record carries, in the Kafka header {@value #SIGNATURE_HEADER}, the HMAC-SHA256
 * of the record's value bytes under the client's own key. The job holds the registry (client id ->
 * server id, key) and accepts an event only if the signature matches the key of the client named in
 * the event and that client belongs to the addressed server.
 *
 * <p>Why HMAC over the exact bytes, not the Kafka principal: a consumer never learns which
 * principal produced a record, and topic ACLs cannot tell servers apart inside one topic; and the
 * value bytes need no canonical form to be signed. HMAC costs about a microsecond per event, which
 * the IoT fan-in path can afford, where a public-key signature would not. The registry is therefore
 * a secret, stored like a keystore. An empty registry turns the check off.
 */
public final class ClientKeys implements Serializable {

    /** The Kafka record header carrying the signature (raw 32 bytes). */
    public static final String SIGNATURE_HEADER = "dflink-signature";

    private static final String HMAC = "HmacSHA256";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A client's server and key. */
    public record Entry(String serverId, byte[] key) implements Serializable {}

    private final Map<String, Entry> byClient;

    private ClientKeys(Map<String, Entry> byClient) {
        this.byClient = Map.copyOf(byClient);
    }

    /** No registry: updates need no signature. */
    public static ClientKeys none() {
        return new ClientKeys(Map.of());
    }

    public static ClientKeys of(Map<String, Entry> byClient) {
        return new ClientKeys(byClient);
    }

    public boolean enabled() {
        return !byClient.isEmpty();
    }

    public Entry entry(String clientId) {
        return byClient.get(clientId);
    }

    /** A fresh random 256-bit key. */
    public static byte[] newKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    /** HMAC-SHA256 of {@code value} under {@code key}. */
    public static byte[] sign(byte[] key, byte[] value) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Why the event may not be taken (null when it may). */
    public Refusal check(String clientId, String serverId, byte[] value, byte[] signature) {
        if (!enabled()) {
            return null;
        }
        Entry e = byClient.get(clientId);
        if (e == null) {
            return new Refusal(false, "client '" + clientId + "' is not in the client registry");
        }
        if (signature == null) {
            return new Refusal(false, "no " + SIGNATURE_HEADER + " header");
        }
        if (!MessageDigest.isEqual(sign(e.key(), value), signature)) {
            return new Refusal(false, "signature does not match client '" + clientId + "''s key");
        }
        if (!e.serverId().equals(serverId)) {
            return new Refusal(
                    true,
                    "client '"
                            + clientId
                            + "' belongs to server '"
                            + e.serverId()
                            + "', not '"
                            + serverId
                            + "'");
        }
        return null;
    }

    /** A refused event: unauthenticated, or authenticated but addressed to a foreign server. */
    public record Refusal(boolean authenticated, String message) {}

    /** Reads a registry file: {@code {"clients":[{"clientId","serverId","key":base64}]}}. */
    public static ClientKeys load(Path file) {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file));
            Map<String, Entry> m = new TreeMap<>();
            for (JsonNode c : root.path("clients")) {
                String id = c.path("clientId").asText("");
                String server = c.path("serverId").asText("");
                byte[] key = Base64.getDecoder().decode(c.path("key").asText(""));
                if (id.isEmpty() || server.isEmpty() || key.length < 16) {
                    throw new IllegalArgumentException(
                            file
                                    + ": every entry needs clientId, serverId and a key of >= 16 bytes");
                }
                if (m.put(id, new Entry(server, key)) != null) {
                    throw new IllegalArgumentException(file + ": client '" + id + "' listed twice");
                }
            }
            return new ClientKeys(m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read client registry " + file, e);
        }
    }

    /** Writes the registry in the format {@link #load(Path)} reads. */
    public void save(Path file) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode clients = root.putArray("clients");
        new TreeMap<>(byClient)
                .forEach(
                        (id, e) ->
                                clients.addObject()
                                        .put("clientId", id)
                                        .put("serverId", e.serverId())
                                        .put("key", Base64.getEncoder().encodeToString(e.key())));
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write client registry " + file, e);
        }
    }
}
