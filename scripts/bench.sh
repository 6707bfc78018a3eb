#!/usr/bin/env bash
# Benchmarks both applications against baselines measured in the same run, on this machine:
# producer throughput, the matcher (JMH), the consumer's window at a full window, its sustainable
# rate, end-to-end latency, memory, and how soon the dashboard's page shows a new ranking (in
# headless Chromium). Prints a table; writes bench.json, bench.txt and batch-times.svg under
# --out (run/bench). About 25 minutes on 2 cores; --smoke runs tiny sizes
# in about 1.
#
#   scripts/bench.sh [--smoke] [--out DIR] [--only producer,matcher,window,rate,latency,dashboard]
#                    [--keys 4,400,10000] [--profile] [--spark3]
#
# --spark3 runs the consumer sections on Spark 3.5 with the Spark 3 jar (the -Pspark3 build),
# for figures beside Spark 2.4's: scripts/bench.sh --only window; scripts/bench.sh --spark3 --only window
#
# --profile records the producer JVMs with Java Flight Recorder (DIR/producer.jfr ...); for the
# consumer sections, which run in the benchmark's JVM:
#   JAVA_OPTS=-XX:StartFlightRecording=settings=profile,filename=run/window.jfr scripts/bench.sh ...
# and to profile one window variant (consumer: its graph; spark-inverse: the same graph on Spark's
# inverse window; plain; bare: the minimal inverse program) add
# -Dtrendline.bench.window.variants=bare to JAVA_OPTS. -Dtrendline.bench.rate.args='--key=value ...'
# gives the rate section's consumer more settings (e.g. --kafka.fetch.max.wait.ms=10): split on
# spaces, so no value may hold one, and a key the section sets itself is refused as given twice.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v java >/dev/null || { echo "error: java not found" >&2; exit 2; }

spark3=false
args=()
for a in "$@"; do
  if [[ "$a" == --spark3 ]]; then spark3=true; else args+=("$a"); fi
done
if $spark3; then
  bench=support/bench/target/spark3; consumer=consumer/target/trendline-consumer-spark3.jar
  spark_lib=build-support/spark-runtime/target/spark3/lib
  build=(mvn -B -q -ntp -Pspark3 -pl support/bench,consumer,build-support/spark-runtime -am -DskipTests package)
else
  bench=support/bench/target; consumer=consumer/target/trendline-consumer.jar
  spark_lib=build-support/spark-runtime/target/lib
  build=(mvn -B -q -ntp -DskipTests package)
fi

jars=(producer/target/trendline-producer-all.jar "$consumer" dashboard/target/trendline-dashboard-all.jar
      support/broker/target/trendline-broker.jar "$bench/trendline-bench.jar")
for jar in "${jars[@]}"; do
  if [[ ! -f "$jar" ]]; then
    command -v mvn >/dev/null || { echo "error: $jar is missing and mvn is not installed" >&2; exit 2; }
    echo "Building (first run only)..." >&2
    [[ -f producer/target/trendline-producer-all.jar ]] || mvn -B -q -ntp -DskipTests package >&2
    "${build[@]}" >&2
    break
  fi
done

opens=()
if java -version 2>&1 | grep -q 'version "1\.8'; then :; else
  for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
           java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs \
           sun.security.action sun.util.calendar; do
    opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
  done
fi
# JAVA_OPTS: extra options for the benchmark's JVM (the consumer sections run in it).
# shellcheck disable=SC2086
exec java -Xmx2g ${JAVA_OPTS:-} -Djava.net.preferIPv4Stack=true ${opens[@]+"${opens[@]}"} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.spark.streaming.dstream.QueueInputDStream=error \
  -cp "$bench/trendline-bench.jar:$bench/lib/*:$consumer:$spark_lib/*" \
  io.trendline.bench.Bench --home . ${args[@]+"${args[@]}"}
