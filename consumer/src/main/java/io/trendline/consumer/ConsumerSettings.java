package io.trendline.consumer;

import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigDef.Type;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.config.Durations;
import io.trendline.common.kafka.KafkaConfigs;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.spark.SparkConf;

/**
 * The consumer's settings, typed and validated once at start-up: defaults < properties file ({@code
 * --config FILE}, shipped with {@code spark-submit --files}) < {@code TRENDLINE_CONSUMER_*}
 * environment < {@code --key value} arguments (all the E-MapReduce console passes). Kafka consumer
 * properties go under {@code kafka.}, Spark properties under {@code spark.}. Immutable;
 * serializable so the stream graph can carry it into a checkpoint.
 */
public final class ConsumerSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String ENV_PREFIX = "TRENDLINE_CONSUMER_";
  static final String KAFKA = "kafka.";

  /** The executors' consumers' TCP receive buffer unless {@code kafka.receive.buffer.bytes}. */
  public static final int RECEIVE_BUFFER_BYTES = 1 << 20;

  /** Their largest fetch of a partition unless {@code kafka.max.partition.fetch.bytes}. */
  public static final int PARTITION_FETCH_BYTES = 4 << 20;

  static final String SPARK = "spark.";

  /** How {@link Config#origin} says a value came from the settings file. */
  private static final String FILE_ORIGIN = "file ";

  /** The Kafka client's passwords besides the JAAS configuration (type PASSWORD in Kafka 2.0). */
  private static final List<String> FILE_PASSWORDS =
      Arrays.asList("ssl.key.password", "ssl.keystore.password", "ssl.truststore.password");

  static final ConfigDef DEF =
      new ConfigDef()
          .define("topic", Type.STRING, "tweets", ConfigDef.nonEmpty(), "Kafka topic to read.")
          .define(
              "batch.interval",
              Type.DURATION,
              "1s",
              ConfigDef.atLeast(Duration.ofMillis(100)),
              "Spark Streaming batch interval.")
          .define(
              "window",
              Type.DURATION,
              "300s",
              ConfigDef.atLeast(Duration.ofMillis(100)),
              "Length of the counting window; a multiple of batch.interval.")
          .define(
              "slide",
              Type.DURATION,
              "1s",
              ConfigDef.atLeast(Duration.ofMillis(100)),
              "How often the ranking is computed; a multiple of batch.interval.")
          .define(
              "checkpoint.dir",
              Type.STRING,
              ConfigDef.REQUIRED,
              ConfigDef.nonEmpty(),
              "Checkpoint directory (a local path, hdfs://, oss://). A restarted driver resumes"
                  + " its windows from it; use a new one after a code change.")
          .define(
              "checkpoint.interval",
              Type.DURATION,
              "10s",
              ConfigDef.atLeast(Duration.ofMillis(100)),
              "How often the window state is checkpointed; a multiple of slide (several slides,"
                  + " not every batch), at most 60 slides. Unset: the longest multiple of slide"
                  + " within 10s and 60 slides (one slide if slide is longer).")
          .define("top", Type.INT, "10", ConfigDef.between(1, 10_000), "Rows of each ranking.")
          .define(
              "partitions",
              Type.INT,
              "1",
              ConfigDef.between(0, 100_000),
              "Partitions of the window state. 1: each batch is one task, which reads every"
                  + " Kafka partition and updates the whole window, with no shuffle (the"
                  + " fastest batch, up to about the rate one Kafka reader reaches). More: a"
                  + " task per Kafka partition reads in parallel and the counts move by key to"
                  + " this many partitions; 0: Spark's default parallelism.")
          .define(
              "totals",
              Type.BOOLEAN,
              "false",
              "Also keep each keyword's all-time total (since the job started) in checkpointed"
                  + " state, and add the top totals to each ranking (console, JSON).")
          .define(
              "totals.idle.timeout",
              Type.DURATION,
              "24h",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "With totals: a keyword with no record for this long leaves the totals' state (it"
                  + " starts from zero if it comes back), so keys seen once do not grow it"
                  + " forever.")
          .define("sink.console", Type.BOOLEAN, "true", "Print each ranking on stdout.")
          .define(
              "sink.kafka.topic",
              Type.STRING,
              "",
              "Also send each ranking as one JSON record to this topic (same cluster).")
          .define(
              "sink.files.path",
              Type.STRING,
              "",
              "Also write each ranking under PATH-<batch time ms>/ (hdfs://, oss://, file://),"
                  + " as saveAsTextFiles does.")
          .define(
              "backpressure",
              Type.BOOLEAN,
              "false",
              "Let Spark adapt the read rate to the processing rate"
                  + " (spark.streaming.backpressure.enabled).")
          .define(
              "backpressure.initial.rate",
              Type.LONG,
              "10000",
              ConfigDef.atLeast(1),
              "With backpressure, the read rate (records/s, all partitions) until Spark has"
                  + " measured one, so a backlog is not read in one batch"
                  + " (spark.streaming.backpressure.initialRate).")
          .define(
              "startup.timeout",
              Type.DURATION,
              "30s",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "How long to wait for Kafka at start-up (brokers reachable, the topic there) before"
                  + " failing with one line, exit code 3.")
          .define(
              "max.rate.per.partition",
              Type.LONG,
              "0",
              ConfigDef.atLeast(0),
              "Records per second per partition at most (0: no limit);"
                  + " spark.streaming.kafka.maxRatePerPartition.")
          .define(
              "stop.file",
              Type.STRING,
              "",
              "A path (hdfs://, oss://, file://) polled every batch interval: when it appears,"
                  + " the application stops gracefully (finishes its batches, commits offsets).")
          .define(
              KAFKA + "bootstrap.servers",
              Type.STRING,
              "localhost:9092",
              ConfigDef.nonEmpty(),
              "Kafka brokers, host:port, comma-separated.")
          .define(
              KAFKA + "group.id",
              Type.STRING,
              "trendline-consumer",
              ConfigDef.nonEmpty(),
              "Consumer group: offsets are committed under it after each batch's output.")
          .define(
              KAFKA + "auto.offset.reset",
              Type.STRING,
              "latest",
              ConfigDef.oneOf("latest", "earliest", "none"),
              "Where to start with neither a checkpoint nor committed offsets.")
          .passThrough(
              KAFKA,
              "Any other Kafka consumer property (security.protocol, sasl.*, ssl.*), passed"
                  + " through to the consumer and (connection and security ones) to the Kafka"
                  + " sink's producer. Unless given: max.partition.fetch.bytes=4194304,"
                  + " receive.buffer.bytes=1048576.")
          .passThrough(
              SPARK,
              "Any Spark property, e.g. spark.master=local[2] for a local run (spark-submit"
                  + " sets the master on a cluster).");

  private final Map<String, Object> kafkaParams;
  private final Map<String, String> sparkProperties;
  private final String describe;
  private final String topic;
  private final long batchMs;
  private final long windowMs;
  private final long slideMs;
  private final long checkpointMs;
  private final String checkpointDir;
  private final int top;
  private final int partitions;
  private final long totalsIdleMs;
  private final boolean consoleSink;
  private final String kafkaSinkTopic;
  private final String filesSinkPath;
  private final String stopFile;
  private final long startupTimeoutMs;

  /** The masters Spark 2.4 accepts (SparkContext.createTaskScheduler), blanks aside. */
  private static final Pattern SPARK_MASTER =
      Pattern.compile(
          "local|local\\[(\\d+|\\*)\\]|local\\[(\\d+|\\*)\\s*,\\s*\\d+\\]"
              + "|local-cluster\\[\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*\\d+\\s*\\]"
              + "|yarn|(spark|mesos|k8s)://.+");

  /** The most slides between two checkpoints of the window's state. */
  static final int MAX_SLIDES_PER_CHECKPOINT = 60;

  private ConsumerSettings(Config c) {
    topic = c.getString("topic");
    batchMs = c.getDuration("batch.interval").toMillis();
    windowMs = multipleOf(c, "window", batchMs, "batch.interval");
    slideMs = multipleOf(c, "slide", batchMs, "batch.interval");
    if (slideMs > windowMs) {
      throw ConfigException.invalid(
          "slide", Durations.format(c.getDuration("slide")), "must not exceed window");
    }
    checkpointMs =
        c.isSet("checkpoint.interval")
            ? multipleOf(c, "checkpoint.interval", slideMs, "slide")
            : defaultCheckpointMs(c.getDuration("checkpoint.interval").toMillis(), slideMs);
    if (checkpointMs > MAX_SLIDES_PER_CHECKPOINT * slideMs) {
      // Until it is checkpointed, each slide's state is derived from the last (a lineage a slide
      // longer every slide, which recovery recomputes), and the heap holds the states of two
      // intervals; the totals' mapWithState keeps each slide's changes as a layer that every
      // ranking walks until Spark folds them at the checkpoint.
      throw ConfigException.invalid(
          "checkpoint.interval",
          Durations.format(c.getDuration("checkpoint.interval")),
          "must be at most "
              + MAX_SLIDES_PER_CHECKPOINT
              + " slides ("
              + MAX_SLIDES_PER_CHECKPOINT * slideMs
              + " ms): the window's state grows a slide's worth each slide until it is"
              + " checkpointed");
    }
    checkpointDir = c.getString("checkpoint.dir");
    top = c.getInt("top");
    partitions = c.getInt("partitions");
    totalsIdleMs = c.getBoolean("totals") ? c.getDuration("totals.idle.timeout").toMillis() : 0;
    if (totalsIdleMs > 0 && slideMs != batchMs) {
      // The totals move every batch and are ranked with the window, which moves every slide.
      throw ConfigException.invalid(
          "totals", true, "needs slide equal to batch.interval (slide is " + slideMs + " ms)");
    }
    if (totalsIdleMs == 0 && c.isSet("totals.idle.timeout")) {
      throw ConfigException.invalid(
          "totals.idle.timeout",
          Durations.format(c.getDuration("totals.idle.timeout")),
          "only read when totals=true");
    }
    consoleSink = c.getBoolean("sink.console");
    kafkaSinkTopic = c.getString("sink.kafka.topic");
    filesSinkPath = c.getString("sink.files.path");
    stopFile = c.getString("stop.file");

    kafkaParams = new HashMap<>();
    kafkaParams.put("bootstrap.servers", c.getString(KAFKA + "bootstrap.servers"));
    kafkaParams.put("group.id", c.getString(KAFKA + "group.id"));
    kafkaParams.put("auto.offset.reset", c.getString(KAFKA + "auto.offset.reset"));
    kafkaParams.putAll(c.passThrough(KAFKA));
    // A 1 MB TCP receive buffer for the executors' consumers unless set: with Kafka's 64 KB a
    // task's fetch of up to 1 MB arrives in 64 KB turns, each waiting for the task to read the
    // socket; Spark raises anything smaller than 64 KB, -1 (the OS's autotuning) included, to 64
    // KB.
    kafkaParams.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, RECEIVE_BUFFER_BYTES);
    // And fetches of up to 4 MB a partition, not 1: a task reads its offset range fetch by fetch,
    // waiting for each, so fewer round trips read a batch sooner (Performance 4 in the README).
    kafkaParams.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PARTITION_FETCH_BYTES);
    // Offsets are committed after each batch's output, by the application; never by a timer.
    kafkaParams.put("enable.auto.commit", false);
    kafkaParams.put("key.deserializer", KeywordKey.class.getName());
    for (String key : KeywordKey.ENCODING) {
      Object charset = kafkaParams.get(key);
      if (charset != null && !supportedCharset(charset.toString())) {
        throw ConfigException.invalid(KAFKA + key, charset, "is not a charset this JVM knows");
      }
    }
    // The value (the status) is never read: only the key counts.
    kafkaParams.put("value.deserializer", UnreadValue.class.getName());
    // A standard JAAS configuration names Kafka's login modules by their standard names.
    RelocatedKafka.toThisJar(kafkaParams);
    // Spark writes these parameters into every checkpoint file: a JAAS configuration from the
    // settings file stays there, and each JVM reads it at login (FileJaasLoginModule).
    String jaasOrigin = c.origin(KAFKA + "sasl.jaas.config");
    if (jaasOrigin != null && jaasOrigin.startsWith(FILE_ORIGIN)) {
      kafkaParams.put(
          "sasl.jaas.config",
          FileJaasLoginModule.reference(
              jaasOrigin.substring(FILE_ORIGIN.length()), KAFKA + "sasl.jaas.config"));
    }
    // Kafka's other passwords from the settings file travel the same way: by reference.
    for (String key : FILE_PASSWORDS) {
      String origin = c.origin(KAFKA + key);
      if (kafkaParams.containsKey(key) && origin != null && origin.startsWith(FILE_ORIGIN)) {
        kafkaParams.put(key, new FilePassword(origin.substring(FILE_ORIGIN.length()), KAFKA + key));
      }
    }
    KafkaConfigs.check(kafkaParams, p -> new ConsumerConfig(p), KAFKA);
    // Spark's Kafka stream reads receive.buffer.bytes as an Integer (its workaround for
    // KAFKA-3135 casts it): a string from the settings would fail there with a ClassCastException.
    // Kafka has checked it is an int just above.
    Object receiveBuffer = kafkaParams.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG);
    if (receiveBuffer instanceof String) {
      kafkaParams.put(
          ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.valueOf(((String) receiveBuffer).trim()));
    }

    sparkProperties = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : c.passThrough(SPARK).entrySet()) {
      sparkProperties.put(SPARK + e.getKey(), e.getValue());
    }
    sparkProperties.put("spark.streaming.stopGracefullyOnShutdown", "true");
    // What the Spark UI and event logs show of settings whose names look secret: redacted, the
    // names this project treats as secrets included (Spark 2.4 redacts only secret|password).
    sparkProperties.putIfAbsent(
        "spark.redaction.regex", "(?i)secret|password|token|jaas|credential");
    sparkProperties.put(
        "spark.streaming.backpressure.enabled", String.valueOf(c.getBoolean("backpressure")));
    long maxRate = c.getLong("max.rate.per.partition");
    if (maxRate > 0) {
      sparkProperties.put("spark.streaming.kafka.maxRatePerPartition", String.valueOf(maxRate));
    }
    if (c.getBoolean("backpressure")) {
      sparkProperties.put(
          "spark.streaming.backpressure.initialRate",
          String.valueOf(c.getLong("backpressure.initial.rate")));
    }
    String concurrentJobs = sparkProperties.get("spark.streaming.concurrentJobs");
    if (concurrentJobs != null && !concurrentJobs.trim().equals("1")) {
      // Each batch's offsets are remembered before its ranking commits them, and the window's
      // older states leave the cache once a batch is done: both rely on batches running one
      // after another, as Spark runs them unless told otherwise.
      throw ConfigException.invalid(
          "spark.streaming.concurrentJobs",
          concurrentJobs,
          "must be 1: the consumer's batches run one after another");
    }
    String master = sparkProperties.get("spark.master");
    if (master != null && !SPARK_MASTER.matcher(master).matches()) {
      throw ConfigException.invalid(
          "spark.master",
          master,
          "expected local, local[N], local[*], local[N,F], yarn, spark://HOST:PORT, mesos://..."
              + " or k8s://...");
    }
    startupTimeoutMs = c.getDuration("startup.timeout").toMillis();
    describe = c.describe();
  }

  private static boolean supportedCharset(String name) {
    try {
      return Charset.isSupported(name);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The checkpoint interval when none is given: the longest multiple of slide within {@code
   * preferredMs} and {@link #MAX_SLIDES_PER_CHECKPOINT} slides, and at least one slide; so that any
   * valid slide works without the user choosing a checkpoint interval to match it.
   */
  static long defaultCheckpointMs(long preferredMs, long slideMs) {
    long slides = Math.min(MAX_SLIDES_PER_CHECKPOINT, preferredMs / slideMs);
    return Math.max(1, slides) * slideMs;
  }

  private static long multipleOf(Config c, String key, long unitMs, String unitKey) {
    long ms = c.getDuration(key).toMillis();
    if (ms % unitMs != 0) {
      throw ConfigException.invalid(
          key,
          Durations.format(c.getDuration(key)),
          "must be a multiple of " + unitKey + " (" + unitMs + " ms)");
    }
    return ms;
  }

  public static ConsumerSettings load(String[] args, Map<String, String> env) {
    return new ConsumerSettings(new ConfigLoader(DEF, ENV_PREFIX).load(args, env));
  }

  public static String help() {
    return DEF.help(ENV_PREFIX);
  }

  public String topic() {
    return topic;
  }

  public long batchMs() {
    return batchMs;
  }

  public long windowMs() {
    return windowMs;
  }

  public long slideMs() {
    return slideMs;
  }

  public long checkpointMs() {
    return checkpointMs;
  }

  public String checkpointDir() {
    return checkpointDir;
  }

  public int top() {
    return top;
  }

  public int partitions() {
    return partitions;
  }

  public boolean consoleSink() {
    return consoleSink;
  }

  /** Empty when not set. */
  public String kafkaSinkTopic() {
    return kafkaSinkTopic;
  }

  /** Empty when not set. */
  public String filesSinkPath() {
    return filesSinkPath;
  }

  /** How long start-up waits for Kafka, in ms. */
  public long startupTimeoutMs() {
    return startupTimeoutMs;
  }

  /** Empty when not set. */
  public String stopFile() {
    return stopFile;
  }

  /** Parameters for the Kafka direct stream (a copy). */
  public Map<String, Object> kafkaParams() {
    return new HashMap<>(kafkaParams);
  }

  /** Spark properties to set on the SparkConf (a copy). */
  public Map<String, String> sparkProperties() {
    return new LinkedHashMap<>(sparkProperties);
  }

  /** With totals: how long an idle keyword keeps its total; null when totals are off. */
  public org.apache.spark.streaming.Duration totalsIdleTimeout() {
    return totalsIdleMs == 0 ? null : new org.apache.spark.streaming.Duration(totalsIdleMs);
  }

  /** The window's shape: length, slide, partitions and checkpoint interval. */
  public WindowSpec windowSpec() {
    return WindowSpec.of(
            new org.apache.spark.streaming.Duration(windowMs),
            new org.apache.spark.streaming.Duration(slideMs))
        .partitions(partitions)
        .checkpointEvery(new org.apache.spark.streaming.Duration(checkpointMs));
  }

  /** Spark's configuration: the spark.* settings under an application name. */
  public SparkConf sparkConf(String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    for (Map.Entry<String, String> e : sparkProperties.entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : SPARK_DEFAULTS.entrySet()) {
      conf.setIfMissing(e.getKey(), e.getValue());
    }
    return conf;
  }

  /**
   * Spark settings this application defaults differently from Spark, unless set in the settings or
   * by {@code spark-submit --conf}. Spark keeps the last 1,000 jobs and stages for its UI and, once
   * past that, trims a tenth of them at a time, sorting every task it keeps for each stage it
   * drops: with a job a second that is for ever after the first minutes. In the window benchmark
   * (10,000 keys, JFR) that trimming took about 15 % of the JVM's samples once it had started at
   * 1,000, 2 % at 100. The last 100 jobs are a minute and a half of batches at most (one or more
   * jobs a batch), and the Streaming tab still lists 1,000 batches.
   */
  static final Map<String, String> SPARK_DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("spark.ui.retainedJobs", "100");
    d.put("spark.ui.retainedStages", "100");
    SPARK_DEFAULTS = java.util.Collections.unmodifiableMap(d);
  }

  /** The settings the user changed, secrets hidden. */
  public String describe() {
    return describe;
  }
}
