#!/usr/bin/env bash
# Runs every test: unit tests (*Test), then integration tests (*IT) against a real Kafka
# broker, the real Hosebird client over a socket, Spark in local mode, a YARN mini-cluster and
# the dashboard in a real headless Chromium, plus the build gates (Java 8 bytecode, -Xlint
# -Werror, formatting, enforcer);
# then the consumer built for Spark 3.5 / Scala 2.12 (-Pspark3): its unit tests, the exact
# window semantics on Spark 3.5, the consumer against a real broker, the Java 8 check of its
# jar, and its submission to a Hadoop 3 YARN mini-cluster with Spark 3.5's spark-submit.
set -euo pipefail
cd "$(dirname "$0")/.."

# The dashboard's integration test looks at the page in a real headless Chromium, driven through
# ChromeDriver: Debian's chromium and chromium-driver, installed here when they are missing.
if [[ ! -x "${TRENDLINE_CHROMIUM:-/usr/bin/chromium}" || ! -x "${TRENDLINE_CHROMEDRIVER:-/usr/bin/chromedriver}" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Chromium and ChromeDriver for the dashboard's browser test..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "error: the dashboard's browser test needs Chromium and ChromeDriver:" \
      "apt-get install chromium chromium-driver (or set TRENDLINE_CHROMIUM and TRENDLINE_CHROMEDRIVER)" >&2
    exit 2
  fi
fi

mvn -B -ntp verify "$@"
mvn -B -ntp -Pspark3 -pl consumer,support/local -am verify \
  -Dit.test='ConsumerJarIT,WindowedCountsIT,ConsumerIT,YarnSubmitIT' -Dit.failIfNoSpecifiedTests=false "$@"
