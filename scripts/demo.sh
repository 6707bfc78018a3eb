#!/usr/bin/env bash
# The whole pipeline on one machine: a real Kafka broker, the stream server, the producer jar
# and the consumer in Spark local mode, showing the trends every second until Ctrl-C.
# Builds what is missing first. Options: scripts/demo.sh --help
set -euo pipefail
# shellcheck source=lib/local.sh
source "$(dirname "$0")/lib/local.sh"
run_local io.trendline.local.Demo "$@"
