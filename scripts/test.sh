#!/usr/bin/env bash
# Runs every test: unit tests (*Test), then integration tests (*IT) against a real Kafka
# broker, the real Hosebird client over a socket, Spark in local mode and a YARN
# mini-cluster, plus the build gates (Java 8 bytecode, -Xlint -Werror, formatting, enforcer);
# then the consumer built for Spark 3.5 / Scala 2.12 (-Pspark3) with its unit tests, the exact
# window semantics on Spark 3.5 (WindowedCountsIT) and the Java 8 check of its jar.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify "$@"
mvn -B -ntp -Pspark3 -pl consumer -am verify -Dit.test='ConsumerJarIT,WindowedCountsIT' \
  -Dit.failIfNoSpecifiedTests=false "$@"
