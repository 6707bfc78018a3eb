#!/usr/bin/env bash
# Prints the parameter string of an Alibaba E-MapReduce Spark job that runs the consumer: paste
# it as the job content in the console. The console downloads the ossref:// jar and puts its
# local path in its place before calling spark-submit.
#
#   scripts/emr-job.sh --jar ossref://BUCKET/PATH/trendline-consumer.jar \
#       [--config FILE] [submit options] [-- consumer arguments...]
#
#   --jar URI      the consumer jar uploaded to OSS, as an ossref:// URI (required)
#   --spark 2|3    the cluster's Spark: 2 for EMR-3.x (Spark 2.4, the default), 3 for Spark 3
#                  clusters; the jar's name must say the same (trendline-consumer-spark3.jar)
#   --config FILE  consumer properties to put in the job as --key value arguments (the console
#                  has no --files for them); keys that look like secrets are refused
#   other options  as scripts/submit-yarn.sh: --client, --name, --queue, --driver-memory,
#                  --executor-memory, --num-executors, --executor-cores, --conf KEY=VALUE
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "emr-job: $*" >&2; exit 2; }

jar=""
spark=2
config=""
pass=()
app_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar) [[ $# -ge 2 ]] || die "--jar needs a value"; jar="$2"; shift 2 ;;
    --config) [[ $# -ge 2 ]] || die "--config needs a value"; config="$2"; shift 2 ;;
    --spark) [[ $# -ge 2 ]] || die "--spark needs a value"; spark="$2"; shift 2 ;;
    --log4j|--print|--dry-run|--wait|--java-options) die "$1 does not apply to a console job" ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; app_args=("$@"); break ;;
    --client|--cluster) pass+=("$1"); shift ;;
    *) [[ $# -ge 2 ]] || die "$1 needs a value"; pass+=("$1" "$2"); shift 2 ;;
  esac
done
[[ -n "$jar" ]] || die "--jar ossref://BUCKET/PATH/trendline-consumer.jar is required"
[[ "$jar" =~ ^ossref://[^/]+/.+\.jar$ ]] || die "--jar must be ossref://BUCKET/PATH/NAME.jar, got '$jar'"
# The console cannot be asked which Spark it runs, nor the jar read from here: its name tells.
case "$spark" in
  2) [[ "${jar##*/}" != *spark3* ]] || die "${jar##*/} is the Spark 3 jar; this is a Spark 2 job (--spark 3 for a Spark 3 cluster)" ;;
  3) [[ "${jar##*/}" == *spark3* ]] || die "${jar##*/} is not the Spark 3 jar; upload consumer/target/trendline-consumer-spark3.jar for a Spark 3 cluster" ;;
  *) die "--spark takes 2 or 3, got '$spark'" ;;
esac

inline=()
if [[ -n "$config" ]]; then
  [[ -r "$config" ]] || die "cannot read config file $config"
  n=0
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    line="${line#"${line%%[![:space:]]*}"}"
    [[ -z "$line" || "$line" == \#* || "$line" == !* ]] && continue
    [[ "$line" == *\\ ]] && die "$config:$n: continued lines are not supported here"
    [[ "$line" =~ ^([^=:[:space:]]+)[[:space:]]*[=:][[:space:]]*(.*)$ ]] \
      || die "$config:$n: expected key=value, got '$line'"
    key="${BASH_REMATCH[1]}"
    value="${BASH_REMATCH[2]%"${BASH_REMATCH[2]##*[![:space:]]}"}"
    inline+=("--$key" "$value")
  done < "$config"
fi

exec "$home/scripts/submit-yarn.sh" --print --log4j none --spark "$spark" --jar "$jar" \
  ${pass[@]+"${pass[@]}"} -- ${inline[@]+"${inline[@]}"} ${app_args[@]+"${app_args[@]}"}
