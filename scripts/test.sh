#!/usr/bin/env bash
# Runs every test: unit tests (*Test), then integration tests (*IT) against a real Kafka
# broker, the real Hosebird client over a socket, Spark in local mode and a YARN
# mini-cluster, plus the build gates (Java 8 bytecode, -Xlint -Werror, formatting, enforcer).
set -euo pipefail
cd "$(dirname "$0")/.."
exec mvn -B -ntp verify "$@"
