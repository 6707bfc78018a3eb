# Sourced by scripts/demo.sh and scripts/chaos.sh: builds what is missing, then runs the given
# class of the local-run orchestrator (support/local) from the project root with its arguments.
run_local() {
  local main="$1"; shift
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  command -v java >/dev/null || { echo "error: java not found (Java 8 or later)" >&2; exit 2; }
  local jars=(producer/target/trendline-producer-all.jar
              support/streamserver/target/trendline-streamserver-all.jar
              consumer/target/trendline-consumer.jar
              dashboard/target/trendline-dashboard-all.jar
              support/broker/target/trendline-broker.jar
              support/local/target/trendline-local.jar)
  local jar
  for jar in "${jars[@]}"; do
    if [[ ! -f "$jar" ]]; then
      command -v mvn >/dev/null || { echo "error: $jar is missing and mvn is not installed" >&2; exit 2; }
      echo "Building (first run only; about two minutes)..."
      mvn -B -q -ntp -DskipTests package >&2
      break
    fi
  done
  exec java -Xmx512m -cp "support/local/target/trendline-local.jar:support/local/target/lib/*" \
    "$main" --home . "$@"
}
