#!/usr/bin/env bash
# Runs every test: unit tests (*Test), then integration tests (*IT) against a real Kafka
# broker, the real Hosebird client over a socket, Spark in local mode and a YARN
# mini-cluster, plus the build gates (Java 8 bytecode, -Xlint -Werror, formatting, enforcer);
# then the consumer built for Spark 3.5 / Scala 2.12 (-Pspark3): its unit tests, the exact
# window semantics on Spark 3.5, the Java 8 check of its jar, and its submission to a Hadoop 3
# YARN mini-cluster with Spark 3.5's spark-submit.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify "$@"
mvn -B -ntp -Pspark3 -pl consumer,support/local -am verify \
  -Dit.test='ConsumerJarIT,WindowedCountsIT,YarnSubmitIT' -Dit.failIfNoSpecifiedTests=false "$@"
