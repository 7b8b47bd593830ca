package io.dflink.tools.testing;

import io.dflink.kafka.Topics;
import io.dflink.security.ClientKeys;

import org.apache.kafka.clients.producer.ProducerRecord;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded generator of hostile events, written the way an outside (mis)behaving client would: JSON
 * text and Kafka headers, HMAC computed with the JDK. It records, per dead-letter reason, how many
 * events it sent that must be rejected for that reason.
 */
public final class BadEvents {

    private static final int SERVERS = 4;
    private static final int ROUNDS = 8;

    /**
     * The job's {@code --max-rounds-ahead} for these events: an update 5 rounds ahead is refused.
     */
    public static final int MAX_ROUNDS_AHEAD = 4;

    private static final int MAX_VECTOR = 64;
    private static final int KINDS = 14;

    public final Map<String, Integer> expected = new TreeMap<>();
    private final ClientKeys keys;
    private final String updates;
    private final String topology;
    private final SplittableRandom rnd;
    private final Map<String, List<ProducerRecord<String, String>>> previousRound = new HashMap<>();

    public BadEvents(ClientKeys keys, String prefix, SplittableRandom rnd) {
        this.keys = keys;
        this.updates = prefix + Topics.CLIENT_UPDATES.name();
        this.topology = prefix + Topics.TOPOLOGY.name();
        this.rnd = rnd;
    }

    public int total() {
        return expected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A record of {@code json} signed with {@code clientId}'s registry key. */
    public ProducerRecord<String, String> signed(String key, String clientId, String json) {
        ProducerRecord<String, String> r = new ProducerRecord<>(updates, key, json);
        r.headers().add(ClientKeys.SIGNATURE_HEADER, hmac(keys.entry(clientId).key(), json));
        return r;
    }

    /** Remembers a round's good records, to replay them a round later. */
    public void remember(String server, List<ProducerRecord<String, String>> good) {
        previousRound.put(server, good);
    }

    /** The same record again, right after the original: a duplicate of an open round. */
    public void duplicate(OutsideClient client, ProducerRecord<String, String> original) {
        client.sendAsync(original);
        count("DUPLICATE");
    }

    /** {@code n} bad client updates aimed at {@code server} while it is in {@code round}. */
    public void burst(
            OutsideClient client,
            String server,
            long round,
            ProducerRecord<String, String> good,
            int n) {
        for (int i = 0; i < n; i++) {
            client.sendAsync(one(rnd.nextInt(KINDS), server, round, good));
        }
    }

    private ProducerRecord<String, String> one(
            int kind, String server, long round, ProducerRecord<String, String> good) {
        String client = server + "-c0";
        String other = "s" + ((Integer.parseInt(server.substring(1)) + 1) % SERVERS);
        switch (kind) {
            case 0:
                count("MALFORMED_JSON");
                return plain(server, "{\"type\":\"model\",\"clientId\":" + word());
            case 1:
                count("MALFORMED_JSON");
                return plain(
                        server,
                        good.value().substring(0, 1 + rnd.nextInt(good.value().length() - 2)));
            case 2:
                count("WRONG_TYPE");
                return signed(
                        server, client, update(client, server, "\"r" + round + "\"", "[1,2]"));
            case 3:
                count("MISSING_FIELD");
                return signed(
                        server,
                        client,
                        String.format(
                                Locale.ROOT,
                                "{\"type\":\"model\",\"clientId\":\"%s\",\"serverId\":\"%s\",\"round\":%d,\"weight\":1}",
                                client,
                                server,
                                round));
            case 4:
                count("WRONG_DIMENSION");
                return signed(server, client, update(client, server, "" + round, "[1,2,3]"));
            case 5:
                count("NON_FINITE");
                String bad = List.of("NaN", "Infinity", "-Infinity").get(rnd.nextInt(3));
                return signed(
                        server, client, update(client, server, "" + round, "[" + bad + ",1]"));
            case 6:
                count("VECTOR_TOO_LARGE");
                return signed(
                        server,
                        client,
                        update(
                                client,
                                server,
                                "" + round,
                                ones(MAX_VECTOR + 1 + rnd.nextInt(100))));
            case 7:
                count("UNKNOWN_SERVER");
                return signed("s99", "ghost-c0", update("ghost-c0", "s99", "" + round, "[1,2]"));
            case 8:
                count("NOT_ALLOWED");
                return signed(other, client, update(client, other, "" + round, "[1,2]"));
            case 9:
                count("UNAUTHENTICATED");
                return plain(server, update(client, server, "" + round, "[1,2]"));
            case 10:
                count("UNAUTHENTICATED");
                ProducerRecord<String, String> forged =
                        plain(server, update(client, server, "" + round, "[1,2]"));
                forged.headers()
                        .add(
                                ClientKeys.SIGNATURE_HEADER,
                                hmac(keys.entry(other + "-c0").key(), forged.value()));
                return forged;
            case 11:
                if (round == 0) {
                    return one(0, server, round, good);
                }
                count("STALE_ROUND");
                ProducerRecord<String, String> old = previousRound.get(server).get(rnd.nextInt(3));
                ProducerRecord<String, String> replay =
                        new ProducerRecord<>(updates, old.key(), old.value());
                old.headers().forEach(h -> replay.headers().add(h));
                return replay;
            case 12:
                long far = round + MAX_ROUNDS_AHEAD + 1;
                count(far >= ROUNDS ? "BEYOND_LAST_ROUND" : "TOO_FAR_AHEAD");
                return signed(server, client, update(client, server, "" + far, "[1,2]"));
            default:
                count("KEY_MISMATCH");
                return signed(other, client, update(client, server, "" + round, "[1,2]"));
        }
    }

    /** Topology events that must all be refused, each kind 40 times. */
    public void topology(OutsideClient client) {
        String servers = "\"servers\":[\"s0\",\"s1\",\"s2\",\"s3\"]";
        String ring = "\"edges\":[[\"s0\",\"s1\"],[\"s1\",\"s2\"],[\"s2\",\"s3\"],[\"s3\",\"s0\"]]";
        for (int k = 0; k < 40; k++) {
            String at = "\"effectiveRound\":" + (2 + k % 4) + ",";
            send(
                    client,
                    k,
                    "INVALID_WEIGHTS",
                    "{\"type\":\"graph\","
                            + at
                            + servers
                            + ","
                            + ring
                            + ",\"weights\":[0.6,0.6,0.6,0.6]}");
            send(
                    client,
                    k,
                    "INVALID_WEIGHTS",
                    "{\"type\":\"graph\","
                            + at
                            + servers
                            + ","
                            + ring
                            + ",\"weights\":[-0.1,0.3,0.3,0.3]}");
            send(
                    client,
                    k,
                    "INVALID_TOPOLOGY",
                    "{\"type\":\"graph\"," + at + servers + ",\"edges\":[[\"s0\",\"s0\"]]}");
            send(
                    client,
                    k,
                    "DISCONNECTED_GRAPH",
                    "{\"type\":\"graph\","
                            + at
                            + servers
                            + ",\"edges\":[[\"s0\",\"s1\"],[\"s2\",\"s3\"]]}");
            send(
                    client,
                    k,
                    "INVALID_TOPOLOGY",
                    "{\"type\":\"edge\"," + at + "\"a\":\"s0\",\"b\":\"s9\",\"up\":true}");
            send(client, k, "MALFORMED_JSON", "{\"type\":\"graph\"," + at);
        }
        client.flush();
    }

    private void send(OutsideClient client, int k, String reason, String json) {
        client.sendAsync(new ProducerRecord<>(topology, "fuzz-" + k, json));
        count(reason);
    }

    private ProducerRecord<String, String> plain(String key, String json) {
        return new ProducerRecord<>(updates, key, json);
    }

    private static String update(String client, String server, String round, String vector) {
        return String.format(
                Locale.ROOT,
                "{\"type\":\"model\",\"clientId\":\"%s\",\"serverId\":\"%s\",\"round\":%s,\"weight\":1,\"vector\":%s}",
                client,
                server,
                round,
                vector);
    }

    private String word() {
        StringBuilder b = new StringBuilder();
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    private static String ones(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "1" : ",1");
        }
        return b.append(']').toString();
    }

    private void count(String reason) {
        expected.merge(reason, 1, Integer::sum);
    }

    private static byte[] hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
