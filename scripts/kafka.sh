#!/usr/bin/env bash
# Kafka for local use, from the jars the project builds (no Kafka installation needed).
#   scripts/kafka.sh broker [--data-dir DIR] [--port N] [--topic NAME:PARTITIONS]...
#       a real single-node broker (with ZooKeeper); prints "TRENDLINE-BROKER READY host:port"
#   scripts/kafka.sh consume --bootstrap-server HOST:PORT --topic NAME [kafka console-consumer options]
#       prints records; add --property print.key=true to see the keys
#   scripts/kafka.sh topics --bootstrap-server HOST:PORT --list | --describe ...
#       needs --zookeeper HOST:PORT with this Kafka version (the broker prints its zk address)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=support/broker/target/trendline-broker.jar
[[ -f "$jar" ]] || { echo "error: $jar is missing: run mvn -DskipTests package" >&2; exit 2; }
cmd=${1:-}
shift || true
case "$cmd" in
  broker)
    args=("$@")
    [[ " ${args[*]-} " == *" --data-dir "* ]] || args+=(--data-dir "${TMPDIR:-/tmp}/trendline-kafka")
    exec java -Xmx512m -jar "$jar" "${args[@]}" ;;
  consume)
    exec java -cp "$jar:support/broker/target/lib/*" kafka.tools.ConsoleConsumer "$@" ;;
  topics)
    exec java -cp "$jar:support/broker/target/lib/*" kafka.admin.TopicCommand "$@" ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2 ;;
esac
