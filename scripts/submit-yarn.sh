#!/usr/bin/env bash
# Submits the consumer to YARN with spark-submit, with the settings a long-running streaming job
# needs there. Cluster deploy mode unless --client. Prints the command before running it.
#
#   scripts/submit-yarn.sh [options] [-- consumer arguments...]
#
#   --config FILE          consumer properties, shipped with --files (conf/consumer.properties)
#   --client               driver on this host (client deploy mode) instead of in YARN
#   --spark 2|3            the cluster's Spark: 2 (2.4, Scala 2.11) or 3 (3.5, Scala 2.12); by
#                          default what `spark-submit --version` says (2 for --print/--dry-run)
#   --jar PATH             the consumer jar (consumer/target/trendline-consumer.jar for Spark 2,
#                          trendline-consumer-spark3.jar for Spark 3); refused if built for
#                          another Spark than the cluster's
#   --principal P --keytab FILE   Kerberos: YARN renews the job's delegation tokens for as long
#                          as it runs (without them a secured job dies when its tokens expire)
#   --name NAME            YARN application name (trendline-consumer)
#   --queue QUEUE          YARN queue (the cluster's default)
#   --driver-memory M      (1g)      --executor-memory M   (2g)
#   --num-executors N      (2)       --executor-cores N    (2)
#   --log4j FILE           executor/driver logging, rolled (conf/log4j-yarn.properties for
#                          Spark 2, conf/log4j2-yarn.properties for Spark 3); "none"
#   --java-options "OPTS"  added to the driver, executor and AM JVM options
#   --conf KEY=VALUE       any Spark property; after the defaults, so it overrides them
#   --wait                 stay attached until the application ends (cluster mode)
#   --print                print the spark-submit arguments on one line and exit
#   --dry-run              print the command and exit
#
# Environment: SPARK_SUBMIT (the spark-submit command; default $SPARK_HOME/bin/spark-submit or
# spark-submit on PATH), HADOOP_CONF_DIR or YARN_CONF_DIR (the cluster's configuration).
# Secrets never go on this command line: put them in the --config file (mode 600).
set -euo pipefail
home="$(cd "$(dirname "$0")/.." && pwd)"

usage() { sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "submit-yarn: $*" >&2; exit 2; }

mode=cluster
config=""
jar=""
spark=""
principal=""
keytab=""
name=trendline-consumer
queue=""
driver_memory=1g
executor_memory=2g
num_executors=2
executor_cores=2
log4j=""
java_options=""
wait=false
action=run
user_conf=()
app_args=()

need() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --client) mode=client; shift ;;
    --cluster) mode=cluster; shift ;;
    --config) need "$@"; config="$2"; shift 2 ;;
    --jar) need "$@"; jar="$2"; shift 2 ;;
    --spark) need "$@"; spark="$2"; shift 2 ;;
    --principal) need "$@"; principal="$2"; shift 2 ;;
    --keytab) need "$@"; keytab="$2"; shift 2 ;;
    --name) need "$@"; name="$2"; shift 2 ;;
    --queue) need "$@"; queue="$2"; shift 2 ;;
    --driver-memory) need "$@"; driver_memory="$2"; shift 2 ;;
    --executor-memory) need "$@"; executor_memory="$2"; shift 2 ;;
    --num-executors) need "$@"; num_executors="$2"; shift 2 ;;
    --executor-cores) need "$@"; executor_cores="$2"; shift 2 ;;
    --log4j) need "$@"; log4j="$2"; shift 2 ;;
    --java-options) need "$@"; java_options="$2"; shift 2 ;;
    --conf)
      need "$@"
      [[ "$2" == *=* ]] || die "--conf takes KEY=VALUE, got '$2'"
      user_conf+=("$2"); shift 2 ;;
    --wait) wait=true; shift ;;
    --print) action=print; shift ;;
    --dry-run) action=dry-run; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; app_args=("$@"); break ;;
    *) die "unknown option '$1' (consumer arguments go after --; see --help)" ;;
  esac
done

for n in "$num_executors" "$executor_cores"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "executors and cores must be positive integers, got '$n'"
done
for m in "$driver_memory" "$executor_memory"; do
  [[ "$m" =~ ^[1-9][0-9]*[kKmMgGtT]?$ ]] || die "memory must look like 512m or 2g, got '$m'"
done
[[ -z "$spark" || "$spark" == 2 || "$spark" == 3 ]] || die "--spark takes 2 or 3, got '$spark'"
[[ -n "$principal" && -z "$keytab" || -z "$principal" && -n "$keytab" ]] \
  && die "--principal and --keytab go together"
[[ -z "$keytab" || -r "$keytab" ]] || die "cannot read keytab $keytab"

submit="${SPARK_SUBMIT:-}"
if [[ -z "$submit" ]]; then
  if [[ -n "${SPARK_HOME:-}" ]]; then submit="$SPARK_HOME/bin/spark-submit"; else submit=spark-submit; fi
fi
# The cluster's Spark, as its spark-submit says ("version 3.5.1" in the banner; "Using Scala
# version 2.12.18"): the jar must be built for the same line.
cluster_spark=""
cluster_scala=""
if [[ "$action" == run && -n "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]] && command -v "$submit" >/dev/null; then
  banner="$("$submit" --version 2>&1 || true)"
  cluster_spark="$(sed -n 's/.*[^a-z ]  *version \([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' <<<"$banner" | head -1)"
  cluster_scala="$(sed -n 's/.*Using Scala version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' <<<"$banner" | head -1)"
  if [[ -z "$spark" ]]; then
    [[ -n "$cluster_spark" ]] || die "cannot tell which Spark '$submit' runs ('$submit --version' shows no version); pass --spark 2 or --spark 3"
    spark="${cluster_spark%%.*}"
  elif [[ -n "$cluster_spark" && "${cluster_spark%%.*}" != "$spark" ]]; then
    die "--spark $spark, but '$submit' runs Spark $cluster_spark"
  fi
fi
spark="${spark:-2}"
case "$spark" in
  2) default_jar="$home/consumer/target/trendline-consumer.jar"; build="mvn -DskipTests package" ;;
  3) default_jar="$home/consumer/target/trendline-consumer-spark3.jar"; build="mvn -Pspark3 -pl consumer -am -DskipTests package" ;;
esac
jar="${jar:-$default_jar}"
# ossref:// and other remote jars are resolved by whoever runs spark-submit.
if [[ "$jar" != *://* && ! -f "$jar" ]]; then
  die "consumer jar $jar not found: build it with '$build'"
fi
# A jar for another Spark line fails on the cluster with a linkage error deep in a log: refuse it
# here, in one line. The jar says what it is built for (io.trendline.consumer.BuildInfo).
if [[ "$jar" != *://* && -n "$cluster_spark" ]]; then
  info="$(java -cp "$jar" io.trendline.consumer.BuildInfo 2>/dev/null || true)"
  jar_spark="$(sed -n 's/^spark\.version=//p' <<<"$info")"
  jar_scala="$(sed -n 's/^scala\.binary\.version=//p' <<<"$info")"
  [[ -n "$jar_spark" ]] || die "$jar is not a Trendline consumer jar (no io.trendline.consumer.BuildInfo in it)"
  if [[ "${jar_spark%%.*}" != "${cluster_spark%%.*}" || ( -n "$cluster_scala" && "$jar_scala" != "$cluster_scala" ) ]]; then
    # ($spark is the cluster's here: a --spark contradicting it was refused above.)
    die "$jar is built for Spark $jar_spark (Scala $jar_scala) but the cluster runs Spark $cluster_spark (Scala ${cluster_scala:-?}): use $default_jar"
  fi
fi

# The checkpoint directory must be on the cluster's file system, not a path on one host.
checkpoint=""
if [[ -n "$config" ]]; then
  [[ -r "$config" ]] || die "cannot read config file $config"
  checkpoint="$(sed -n 's/^[[:space:]]*checkpoint\.dir[[:space:]]*[=:][[:space:]]*//p' "$config" | tail -1)"
fi
for ((i = 0; i < ${#app_args[@]}; i++)); do
  case "${app_args[$i]}" in
    --checkpoint.dir) checkpoint="${app_args[$((i + 1))]:-}" ;;
    --checkpoint.dir=*) checkpoint="${app_args[$i]#--checkpoint.dir=}" ;;
  esac
done
[[ -n "$checkpoint" ]] || die "no checkpoint.dir: set it in --config or pass -- --checkpoint.dir hdfs:///..."
if [[ "$checkpoint" == file:* ]]; then
  die "checkpoint.dir $checkpoint is on one host's disk; use hdfs:// or oss:// on YARN"
fi

files=()
args=(--master yarn --deploy-mode "$mode" --name "$name"
      --class io.trendline.consumer.TrendsApp
      --driver-memory "$driver_memory" --executor-memory "$executor_memory"
      --num-executors "$num_executors" --executor-cores "$executor_cores")
[[ -n "$queue" ]] && args+=(--queue "$queue")
[[ -n "$principal" ]] && args+=(--principal "$principal" --keytab "$keytab")

driver_opts="$java_options"
executor_opts="$java_options"
# Spark 2 logs through Log4j 1, Spark 3.3+ through Log4j 2: each reads its own property.
if [[ "$spark" == 3 ]]; then
  log4j="${log4j:-$home/conf/log4j2-yarn.properties}"; log4j_property=log4j2.configurationFile
else
  log4j="${log4j:-$home/conf/log4j-yarn.properties}"; log4j_property=log4j.configuration
fi
if [[ "$log4j" != none ]]; then
  [[ -r "$log4j" ]] || die "cannot read log4j file $log4j"
  files+=("$log4j")
  executor_opts="-D$log4j_property=$(basename "$log4j") $executor_opts"
  if [[ "$mode" == cluster ]]; then
    driver_opts="-D$log4j_property=$(basename "$log4j") $driver_opts"
  fi
fi

# A long-running job on YARN: see README, "Deploying to YARN".
args+=(
  # Restart a failed driver, but only count failures of the last hour against the limit.
  --conf spark.yarn.maxAppAttempts=4
  --conf spark.yarn.am.attemptFailuresValidityInterval=1h
  # Replace lost executors, failing the job only on repeated failures within an hour.
  --conf "spark.yarn.max.executor.failures=$((num_executors * 8))"
  --conf spark.yarn.executor.failuresValidityInterval=1h
  # Retry a task on another executor before failing the batch.
  --conf spark.task.maxFailures=8
  # SIGTERM (yarn application -kill, a NodeManager restart) finishes the batch in flight.
  --conf spark.streaming.stopGracefullyOnShutdown=true
  # Window state must not be computed twice: no speculative tasks.
  --conf spark.speculation=false
  # Let YARN aggregate the rolled log files of a job that never ends.
  --conf "spark.yarn.rolledLog.includePattern=spark.log*"
)
[[ "$mode" == cluster && "$wait" == false ]] && args+=(--conf spark.yarn.submit.waitAppCompletion=false)
[[ -n "$driver_opts" ]] && args+=(--conf "spark.driver.extraJavaOptions=${driver_opts% }")
[[ -n "$executor_opts" ]] && args+=(--conf "spark.executor.extraJavaOptions=${executor_opts% }")
[[ -n "$java_options" ]] && args+=(--conf "spark.yarn.am.extraJavaOptions=$java_options")
for c in ${user_conf[@]+"${user_conf[@]}"}; do args+=(--conf "$c"); done

if [[ -n "$config" ]]; then
  if [[ "$mode" == cluster ]]; then
    files+=("$config")
    app_args=(--config "$(basename "$config")" ${app_args[@]+"${app_args[@]}"})
  else
    # The driver reads it where it is; the executors find it in their working directory, where
    # a Kafka login reads the JAAS configuration from it (FileJaasLoginModule).
    files+=("$config")
    app_args=(--config "$config" ${app_args[@]+"${app_args[@]}"})
  fi
fi
if [[ ${#files[@]} -gt 0 ]]; then
  args+=(--files "$(IFS=,; echo "${files[*]}")")
fi
args+=("$jar")
# A secret among the application's settings would be in every process listing and in the Spark
# UI: it belongs in the --config file (shipped with --files), as the application itself insists.
secret_key='(password|secret|jaas|token)'
shopt -s nocasematch
for a in ${app_args[@]+"${app_args[@]}"}; do
  # (emr-job.sh's print refuses every secret-looking key below, in its own words.)
  if [[ "$action" != print && "$a" =~ ^--[a-z.]*${secret_key} ]]; then
    die "'${a%%=*}' holds a secret: put it in the --config file (readable only by you), never on the command line"
  fi
done
shopt -u nocasematch
args+=(${app_args[@]+"${app_args[@]}"})

# Quote for a shell (and the E-MapReduce console); show() also replaces the values of
# secret-looking keys with ****.
quote() {
  if [[ "$1" =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then printf '%s' "$1"
  else
    local q="'\\''"
    printf "'%s'" "${1//\'/$q}"
  fi
}
show() {
  local out="" hide=false a
  shopt -s nocasematch
  for a in "$@"; do
    if $hide; then out+=" ****"; hide=false; continue
    elif [[ "$a" =~ ^--[a-z.]*${secret_key}[a-z.]*$ ]]; then hide=true
    elif [[ "$a" =~ ^([a-z.]*${secret_key}[a-z.]*)= ]]; then out+=" ${BASH_REMATCH[1]}=****"; continue
    fi
    out+=" $(quote "$a")"
  done
  shopt -u nocasematch
  echo "${out# }"
}

if [[ "$action" == print ]]; then
  shopt -s nocasematch
  for a in "${args[@]}"; do
    if [[ "$a" =~ ^--[a-z.]*${secret_key} || "$a" =~ ^[a-z.]*${secret_key}[a-z.]*= ]]; then
      die "'${a%%=*}' looks like a secret: keep it out of a job definition others can read"
    fi
  done
  shopt -u nocasematch
  show "${args[@]}"
  exit 0
fi
echo "+ $submit $(show "${args[@]}")" >&2
[[ "$action" == dry-run ]] && exit 0
if [[ -z "${HADOOP_CONF_DIR:-}${YARN_CONF_DIR:-}" ]]; then
  die "set HADOOP_CONF_DIR (or YARN_CONF_DIR) to the directory of the cluster's yarn-site.xml"
fi
command -v "$submit" >/dev/null || die "$submit not found: set SPARK_HOME or SPARK_SUBMIT"
exec "$submit" "${args[@]}"
