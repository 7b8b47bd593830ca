#!/usr/bin/env bash
# Runs dflink's JMH benchmarks (issue 8): benchmarks/run.sh [REGEX] [JMH OPTIONS...]
#   benchmarks/run.sh Kernel -rf json -rff target/kernels.json     # kernels vs the copy baseline
#   benchmarks/run.sh Encoding -p d=1000,100000                    # JSON arrays vs binary vectors
#   benchmarks/run.sh -h                                           # JMH's own options
# Builds the module when needed, then runs JMH on the module's classpath (prints a table; -rf json
# writes the report with every parameter).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
if [ ! -f "$here/target/classpath.txt" ] || [ -n "$(find "$here/src" -newer "$here/target/classpath.txt" -name '*.java' -print -quit)" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests -Dspotless.check.skip=true -pl benchmarks -am install) >&2
fi
# from the caller's directory, so that relative report paths (-rff) land where the caller means
exec java -Xmx1g -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.openjdk.jmh.Main "$@"
