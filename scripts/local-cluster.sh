#!/usr/bin/env bash
# A Flink cluster and a Kafka broker as plain processes on this machine, for people without Docker
# and for the cluster tests (ClusterITCase drives this script): a KRaft broker (`dflink broker`), a
# Flink JobManager and N TaskManagers, all JVMs started from Maven jars, no flink-dist needed.
#
#   scripts/local-cluster.sh start [--taskmanagers N] [--slots S] [--kafka-port P] [--rest-port P]
#                                  [--rpc-port P] [--dir DIR] [--lib DIR] [--prometheus [PORTS]]
#   scripts/local-cluster.sh add-taskmanager [--dir DIR]     # one more TaskManager (e.g. a replacement)
#   scripts/local-cluster.sh submit [--dir DIR] [--savepoint PATH] -- JOB ARGS...
#                                                            # `flink run -d` of the thin job jar
#   scripts/local-cluster.sh status [--dir DIR]
#   scripts/local-cluster.sh stop [--dir DIR]                # every process it started, by PID
#
# Everything lives in DIR (default target/local-cluster): conf/, log/, pids/, the broker's data
# (deleted when it stops). The Flink lib folder and the thin job jar come from
# `./mvnw -B -DskipTests package` (cluster/target/cluster); the script builds them when missing.
# --lib adds a folder of jars to every Flink JVM's classpath (e.g. cluster/target/cluster/nd4j-lib,
# built with -Pnd4j-lib, for jobs that use ND4J; dflink's job does not).
# --prometheus serves every Flink JVM's metrics for Prometheus on localhost, one port each from
# PORTS (default 9249-9260), with dflink's bound Prometheus reporter; `status` lists the ports.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cluster_build="$root/cluster/target/cluster"
flink_lib="$cluster_build/flink-lib"
job_jar="$cluster_build/dflink-job.jar"
tools_jar="$root/tools/target/dflink-tools-0.1.0-SNAPSHOT.jar"
tools_cp_file="$root/tools/target/runtime-classpath.txt"

dir="$root/target/local-cluster"
taskmanagers=2
slots=2
kafka_port=9092
rest_port=8081
rpc_port=6123
savepoint=""
extra_lib=""
prometheus=""
job_args=()

# The module-opening flags Flink's own scripts pass to every JobManager, TaskManager and client JVM.
OPENS=(--add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

parse() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      --taskmanagers) taskmanagers="$2"; shift 2 ;;
      --slots) slots="$2"; shift 2 ;;
      --kafka-port) kafka_port="$2"; shift 2 ;;
      --rest-port) rest_port="$2"; shift 2 ;;
      --rpc-port) rpc_port="$2"; shift 2 ;;
      --savepoint) savepoint="$2"; shift 2 ;;
      --lib) extra_lib="$(cd "$2" && pwd)"; shift 2 ;;
      --prometheus)
        if [ $# -gt 1 ] && [[ "$2" =~ ^[0-9]+(-[0-9]+)?$ ]]; then prometheus="$2"; shift 2
        else prometheus="9249-9260"; shift; fi ;;
      --) shift; job_args=("$@"); return ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$1' (--help lists them)" ;;
    esac
  done
}

ensure_built() {
  if [ ! -d "$flink_lib" ] || [ ! -f "$job_jar" ] || [ ! -f "$tools_jar" ] || [ ! -f "$tools_cp_file" ]; then
    echo "local-cluster: building the Flink lib folder and the job jar ..." >&2
    (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true install) >&2
  fi
}

# Ports of a running cluster, saved by start for the other commands.
load_ports() {
  [ -f "$dir/ports.env" ] || die "no cluster in $dir (run start first)"
  # shellcheck disable=SC1091
  . "$dir/ports.env"
}

alive() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

write_conf() {
  mkdir -p "$dir/conf" "$dir/log" "$dir/pids"
  cat > "$dir/conf/config.yaml" <<EOF
jobmanager:
  rpc: {address: localhost, port: $rpc_port}
  bind-host: localhost
  memory: {process: {size: 1024m}}
taskmanager:
  host: localhost
  bind-host: localhost
  numberOfTaskSlots: $slots
  memory: {process: {size: 1280m}, managed: {fraction: 0.1}}
rest:
  address: localhost
  bind-address: localhost
  port: $rest_port
web: {submit: {enable: true}, upload: {dir: $dir/web-upload}}
# a killed TaskManager is noticed in seconds, not after the 50 s default
heartbeat: {interval: 1000, timeout: 6000}
classloader: {resolve-order: child-first}
EOF
  if [ -n "$prometheus" ]; then
    cat >> "$dir/conf/config.yaml" <<EOF
metrics:
  reporter:
    prom:
      factory.class: io.dflink.metrics.BoundPrometheusReporterFactory
      host: 127.0.0.1
      port: "$prometheus"
      # as for dflink run: no Kafka client metrics, no long task names on every series
      filter.excludes: "*.KafkaProducer;*.KafkaConsumer"
      scope.variables.excludes: "task_name;task_attempt_id"
EOF
  fi
  cat > "$dir/conf/log4j.properties" <<'EOF'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
appender.main.name = MainAppender
appender.main.type = File
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
EOF
  cat > "$dir/ports.env" <<EOF
kafka_port=$kafka_port
rest_port=$rest_port
rpc_port=$rpc_port
slots=$slots
extra_lib=$extra_lib
EOF
}

# Starts a Flink process the way flink-dist's scripts do: BashJavaUtils derives the JVM memory flags
# and the dynamic properties (without them a TaskManager refuses to start).
start_flink() { # role (jm|tm) name
  local role="$1" name="$2" main what
  case "$role" in
    jm) main=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint; what=GET_JM_RESOURCE_PARAMS ;;
    tm) main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner; what=GET_TM_RESOURCE_PARAMS ;;
  esac
  local out
  out="$(java -cp "$flink_lib/*" org.apache.flink.runtime.util.bash.BashJavaUtils "$what" \
    --configDir "$dir/conf" 2>/dev/null | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
  local jvm dynamic
  jvm="$(echo "$out" | sed -n 1p)"
  dynamic="$(echo "$out" | sed -n 2p)"
  [ -n "$jvm" ] || die "BashJavaUtils gave no JVM parameters for $name (see $dir/conf/config.yaml)"
  # shellcheck disable=SC2086
  nohup java $jvm "${OPENS[@]}" -Dlog.file="$dir/log/$name.log" \
    -Dlog4j.configurationFile="file:$dir/conf/log4j.properties" \
    -Dorg.bytedeco.javacpp.cachedir="$dir/javacpp-cache" \
    -cp "$flink_lib/*${extra_lib:+:$extra_lib/*}" "$main" --configDir "$dir/conf" $dynamic \
    > "$dir/log/$name.out" 2>&1 &
  echo $! > "$dir/pids/$name.pid"
}

next_tm_name() {
  local n=1
  while [ -f "$dir/pids/tm-$n.pid" ]; do n=$((n + 1)); done
  echo "tm-$n"
}

registered_slots() {
  curl -sf "http://localhost:$rest_port/overview" 2>/dev/null \
    | sed -n 's/.*"slots-total":\([0-9]*\).*/\1/p'
}

wait_for() { # description seconds command...
  local what="$1" seconds="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || die "$what not ready after ${seconds}s (logs: $dir/log)"
    sleep 0.3
  done
}

broker_ready() {
  grep -q "Kafka broker ready" "$dir/log/broker.out" 2>/dev/null
}

slots_at_least() {
  local have
  have="$(registered_slots)"
  [ -n "$have" ] && [ "$have" -ge "$1" ]
}

cmd_start() {
  if [ -f "$dir/ports.env" ] && [ -n "$(ls "$dir/pids" 2>/dev/null)" ]; then
    for p in "$dir"/pids/*.pid; do
      alive "$p" && die "a cluster is already running in $dir (stop it first)"
    done
  fi
  ensure_built
  rm -rf "$dir"
  write_conf
  local t0=$SECONDS
  # shellcheck disable=SC2086
  nohup java -Xmx768m -cp "$tools_jar:$(cat "$tools_cp_file")" io.dflink.tools.cli.DflinkCli broker \
    --port "$kafka_port" > "$dir/log/broker.out" 2>&1 &
  echo $! > "$dir/pids/broker.pid"
  start_flink jm jobmanager
  for _ in $(seq 1 "$taskmanagers"); do
    start_flink tm "$(next_tm_name)"
  done
  wait_for "Kafka broker" 90 broker_ready
  wait_for "$taskmanagers TaskManager(s)" 120 slots_at_least $((taskmanagers * slots))
  echo "local-cluster: ready in $((SECONDS - t0)) s: Kafka 127.0.0.1:$kafka_port, Flink REST" \
    "http://localhost:$rest_port, $taskmanagers TaskManager(s) x $slots slots (dir $dir)"
}

cmd_add_taskmanager() {
  load_ports
  local before name
  before="$(registered_slots)"
  name="$(next_tm_name)"
  start_flink tm "$name"
  echo "local-cluster: started $name (pid $(cat "$dir/pids/$name.pid")); $before slots before"
}

cmd_submit() {
  load_ports
  [ ${#job_args[@]} -gt 0 ] || die "submit needs the job's arguments after --"
  local restore=()
  [ -n "$savepoint" ] && restore=(-s "$savepoint")
  FLINK_CONF_DIR="$dir/conf" java "${OPENS[@]}" -cp "$flink_lib/*" \
    org.apache.flink.client.cli.CliFrontend run -d "${restore[@]}" "$job_jar" "${job_args[@]}"
}

cmd_status() {
  load_ports
  for p in "$dir"/pids/*.pid; do
    [ -f "$p" ] || continue
    local name
    name="$(basename "$p" .pid)"
    if alive "$p"; then echo "$name: running (pid $(cat "$p"))"; else echo "$name: stopped"; fi
  done
  echo "slots registered: $(registered_slots || echo none)"
  grep -ho "serving Prometheus metrics on [^ ]*" "$dir"/log/*.log 2>/dev/null | sed 's/^serving //' || true
  curl -sf "http://localhost:$rest_port/jobs/overview" 2>/dev/null \
    | sed 's/},{/}\n{/g' | sed -n 's/.*"jid":"\([0-9a-f]*\)","name":"\([^"]*\)".*"state":"\([A-Z]*\)".*/job \1 \2 \3/p' || true
}

cmd_stop() {
  [ -d "$dir/pids" ] || { echo "local-cluster: nothing to stop in $dir"; return 0; }
  local pids=()
  for p in "$dir"/pids/*.pid; do
    [ -f "$p" ] && alive "$p" && pids+=("$(cat "$p")")
  done
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$dir"/pids/*.pid
  echo "local-cluster: stopped ${#pids[@]} process(es)"
}

command="${1:-}"
[ -n "$command" ] || { usage; exit 2; }
shift
parse "$@"
case "$command" in
  start) cmd_start ;;
  add-taskmanager) cmd_add_taskmanager ;;
  submit) cmd_submit ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
