#!/usr/bin/env bash
# The chaos run: the whole local pipeline with the broker, the consumer, the producer and the
# stream failing at seeded random moments; then it accounts for every status and prints one
# CHAOS-SUMMARY line. Exit 0 only when nothing was lost or duplicated and the counts agree.
# Builds what is missing first. Options: scripts/chaos.sh --help (e.g. --duration 10m --seed 7)
set -euo pipefail
# shellcheck source=lib/local.sh
source "$(dirname "$0")/lib/local.sh"
run_local io.trendline.local.Chaos "$@"
