package io.dflink.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads over a stretch of a benchmark, grouped by what the threads do (the
 * job's source readers and fetchers, its server tasks, the in-process broker, the rest): with an
 * event count it says where each event's microseconds go, exactly rather than by sampling.
 */
final class ThreadCpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startNanos;
    private final Map<Long, String> names = new TreeMap<>();
    private Map<Long, Long> end = Map.of();

    private ThreadCpu(Map<Long, Long> startNanos) {
        this.startNanos = startNanos;
    }

    static ThreadCpu start() {
        return new ThreadCpu(snapshot(null));
    }

    /**
     * CPU microseconds per event since {@link #start()}, by group, in a fixed order; "total" last.
     */
    Map<String, Double> microsPerEvent(long events) {
        end = snapshot(names);
        Map<String, Double> byGroup = new LinkedHashMap<>();
        for (String g :
                new String[] {
                    "source fetcher", "source", "server task", "producers", "broker", "other"
                }) {
            byGroup.put(g, 0.0);
        }
        double total = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            double micros = (e.getValue() - startNanos.getOrDefault(e.getKey(), 0L)) / 1e3 / events;
            byGroup.merge(group(names.get(e.getKey())), micros, Double::sum);
            total += micros;
        }
        byGroup.put("total", total);
        return byGroup;
    }

    /**
     * After {@link #microsPerEvent}: the {@code n} busiest kinds of thread (names with their
     * numbers taken out), CPU microseconds per event each.
     */
    Map<String, Double> busiest(long events, int n) {
        Map<String, Double> byKind = new TreeMap<>();
        end.forEach(
                (id, nanos) ->
                        byKind.merge(
                                names.get(id).replaceAll("[0-9]+", "#"),
                                (nanos - startNanos.getOrDefault(id, 0L)) / 1e3 / events,
                                Double::sum));
        Map<String, Double> top = new LinkedHashMap<>();
        byKind.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private static String group(String thread) {
        if (thread.startsWith("Source Data Fetcher")) {
            return "source fetcher";
        } else if (thread.startsWith("Source: client-updates")) {
            return "source";
        } else if (thread.startsWith("decode, validate")) {
            return "server task";
        } else if (thread.startsWith("kafka-producer-network-thread")) {
            return "producers";
        } else if (thread.startsWith("data-plane-kafka")
                || thread.startsWith("kafka-")
                || thread.startsWith("broker-")) {
            return "broker";
        }
        return "other";
    }

    private static Map<Long, Long> snapshot(Map<Long, String> names) {
        Map<Long, Long> cpu = new TreeMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(t.getThreadId());
            if (nanos >= 0) {
                cpu.put(t.getThreadId(), nanos);
                if (names != null) {
                    names.put(t.getThreadId(), t.getThreadName());
                }
            }
        }
        return cpu;
    }
}
