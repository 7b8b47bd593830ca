/**
 * The state Flink checkpoints for each server: {@link io.dflink.operators.core.ServerState} and the
 * types it holds, and the broadcast {@link io.dflink.operators.core.TopologyHistory}. Flink's POJO
 * serializer writes each state type's class name, package included, into every checkpoint and
 * savepoint, so these classes never move or get renamed (fields may be added or removed). The logic
 * lives in the sub-packages: {@code server} (the round protocol), one package per algorithm, {@code
 * graph} and {@code math}; see docs/architecture.md.
 */
package io.dflink.operators.core;
