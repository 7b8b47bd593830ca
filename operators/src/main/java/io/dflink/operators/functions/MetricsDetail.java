package io.dflink.operators.functions;

/**
 * How much the server operator registers as Flink metrics ({@link ServerMetrics}), and so how many
 * series a reporter carries: EDGES (per server and per outgoing edge: servers x (degree + 1)
 * groups), SERVERS (per server only: for large graphs), NONE (nothing but Flink's own metrics; the
 * {@code metrics} topic carries every figure either way).
 */
public enum MetricsDetail {
    EDGES,
    SERVERS,
    NONE
}
