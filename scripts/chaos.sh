#!/usr/bin/env bash
# The chaos run: the whole local pipeline with the broker, the consumer, the producer and the
# stream failing at seeded random moments; then it accounts for every status and prints one
# CHAOS-SUMMARY line. Exit 0 only when nothing was lost or duplicated and the counts agree.
# Builds what is missing first. Options: scripts/chaos.sh --help (e.g. --duration 10m --seed 7)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v java >/dev/null || { echo "error: java not found (Java 8 or later)" >&2; exit 2; }

jars=(producer/target/trendline-producer-all.jar
      support/streamserver/target/trendline-streamserver-all.jar
      consumer/target/trendline-consumer.jar
      support/broker/target/trendline-broker.jar
      support/local/target/trendline-local.jar)
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" ]]; then
    command -v mvn >/dev/null || { echo "error: $jar is missing and mvn is not installed" >&2; exit 2; }
    echo "Building (first run only; about two minutes)..."
    mvn -B -q -ntp -DskipTests package >&2
    break
  fi
done
exec java -Xmx512m -cp "support/local/target/trendline-local.jar:support/local/target/lib/*" \
  io.trendline.local.Chaos --home . "$@"
