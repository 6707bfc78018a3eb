package io.trendline.producer;

import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigDef.Type;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.kafka.KafkaConfigs;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer's settings, typed and validated once at start-up. Resolved as defaults < properties
 * file ({@code --config FILE} or {@code TRENDLINE_PRODUCER_CONFIG}) < environment ({@code
 * TRENDLINE_PRODUCER_*}) < command line ({@code --key value}). Kafka producer properties go under
 * {@code kafka.}; those this class defines carry a careful operator's defaults, and any other
 * (security.protocol, sasl.*, ssl.*) is passed through. Credentials are not settings: see {@link
 * Credentials}. Immutable.
 */
public final class ProducerSettings {
  public static final String ENV_PREFIX = "TRENDLINE_PRODUCER_";

  static final String KEYWORDS = "keywords";
  static final String TOPIC = "topic";
  static final String SOURCE = "source";
  static final String INPUT = "input";
  static final String STREAM_HOST = "stream.host";
  static final String CREDENTIALS_FILE = "credentials.file";
  static final String QUEUE_CAPACITY = "queue.capacity";
  static final String STREAM_RETRIES = "stream.retries";
  static final String STREAM_STALL_TIMEOUT = "stream.stall.timeout";
  static final String STREAM_API = "stream.api";
  static final String STREAM_BACKFILL = "stream.backfill.minutes";
  static final String STREAM_RATE_LIMIT_BACKOFF = "stream.rate.limit.backoff";
  static final String RULES_DRY_RUN = "rules.dry.run";
  static final String UNMATCHED_KEY = "unmatched.key";
  static final String DRY_RUN = "dry.run";
  static final String REPORT_INTERVAL = "report.interval";
  static final String STATUS_FILE = "status.file";
  static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";
  static final String STARTUP_TIMEOUT = "startup.timeout";
  static final String TOPIC_CREATE = "topic.create";
  static final String TOPIC_PARTITIONS = "topic.partitions";
  static final String TOPIC_REPLICATION = "topic.replication.factor";
  static final String MAX_MESSAGE_BYTES = "max.message.bytes";
  static final String LOG_MALFORMED = "log.malformed";
  static final String KAFKA_PREFIX = "kafka.";

  static final ConfigDef DEF =
      new ConfigDef()
          .define(
              KEYWORDS,
              Type.STRING,
              ConfigDef.REQUIRED,
              ProducerSettings::validateKeywords,
              "Comma-separated track terms (at most 400, each at most 60 bytes; a phrase of"
                  + " several words matches them in any order). Each becomes a Kafka key.")
          .define(
              TOPIC,
              Type.STRING,
              StatusPipeline.DEFAULT_TOPIC,
              ConfigDef.nonEmpty(),
              "Kafka topic to write to.")
          .define(
              SOURCE,
              Type.STRING,
              "stream",
              ConfigDef.oneOf("stream", "file", "stdin"),
              "Where messages come from: stream (Hosebird on the stream of stream.api), file"
                  + " (JSON lines of a v1.1 capture, see input) or stdin (JSON lines).")
          .define(INPUT, Type.STRING, "", "The JSON-lines file to read when source=file.")
          .define(
              STREAM_API,
              Type.STRING,
              "v1",
              ConfigDef.oneOf("v1", "v2"),
              "The stream's API: v1 (statuses/filter with track and OAuth 1.0a, as Twitter's"
                  + " retired service and trendline-streamserver speak it) or v2 (the X API v2"
                  + " filtered stream: rules kept in sync with the keywords, a bearer token).")
          .define(
              STREAM_HOST,
              Type.STRING,
              "",
              ProducerSettings::validateHost,
              "Base address of the stream service; by default Twitter's"
                  + " (https://stream.twitter.com) for v1 and X's (https://api.x.com) for v2, or"
                  + " any server speaking the API (such as trendline-streamserver).")
          .define(
              CREDENTIALS_FILE,
              Type.STRING,
              "",
              "Properties file readable only by its owner, with consumer.key, consumer.secret,"
                  + " access.token and access.token.secret (v1), or bearer.token (v2). Without"
                  + " it, the environment: TWITTER_CONSUMER_KEY, TWITTER_CONSUMER_SECRET,"
                  + " TWITTER_ACCESS_TOKEN and TWITTER_ACCESS_TOKEN_SECRET (v1), or"
                  + " TWITTER_BEARER_TOKEN (v2).")
          .define(
              QUEUE_CAPACITY,
              Type.INT,
              "10000",
              ConfigDef.between(1, 10_000_000),
              "Messages Hosebird may buffer before the client drops them (dropped are counted).")
          .define(
              STREAM_RETRIES,
              Type.INT,
              "5",
              ConfigDef.between(0, 1000),
              "Reconnection attempts in a row after HTTP 4xx answers (420, 429; with v2 also 409"
                  + " and too many connections) before giving up; 5xx answers and disconnects are"
                  + " retried without limit, with back-off.")
          .define(
              STREAM_STALL_TIMEOUT,
              Type.DURATION,
              "90s",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "A stream that sends nothing, not even a keep-alive, for this long is stalled:"
                  + " it is dropped and reconnected. v1's service sent a keep-alive every 30 s;"
                  + " X's v2 stream sends one at least every 20 s, so with stream.api=v2 the"
                  + " default is 30s.")
          .define(
              STREAM_BACKFILL,
              Type.INT,
              "0",
              ConfigDef.between(0, 5),
              "v2: after a reconnection, ask X for the posts of the last N minutes"
                  + " (backfill_minutes; X grants it to Enterprise access only); posts already"
                  + " read are recognised by id and dropped.")
          .define(
              STREAM_RATE_LIMIT_BACKOFF,
              Type.DURATION,
              "1m",
              ConfigDef.atLeast(Duration.ofMillis(1)),
              "v2: the first wait after an HTTP 429 without a reset time, doubling after each"
                  + " further 429 (X: start at one minute); with x-rate-limit-reset, until then.")
          .define(
              RULES_DRY_RUN,
              Type.BOOLEAN,
              "false",
              "v2: print how the stream's rules would change to match the keywords (and which X"
                  + " would refuse, checked with X's dry_run), change nothing, and exit.")
          .define(
              UNMATCHED_KEY,
              Type.STRING,
              "",
              "When set, statuses that match no keyword are sent too, under this key; by"
                  + " default they are counted and dropped.")
          .define(
              DRY_RUN,
              Type.BOOLEAN,
              "false",
              "Send nothing: read the source, match, and print how many statuses each keyword"
                  + " matched. Try a keyword list on a capture before going live.")
          .define(
              REPORT_INTERVAL,
              Type.DURATION,
              "5s",
              ConfigDef.atLeast(Duration.ofMillis(100)),
              "How often to print the one-line progress report.")
          .define(
              STATUS_FILE,
              Type.STRING,
              "",
              "When set, a file to which the counters are appended as one JSON object per line,"
                  + " every report.interval and once at the end (\"final\":true): for programs,"
                  + " instead of the progress line. Replaced at start-up.")
          .define(
              SHUTDOWN_TIMEOUT,
              Type.DURATION,
              "30s",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "On SIGINT/SIGTERM, the bound for draining the queue and flushing Kafka.")
          .define(
              STARTUP_TIMEOUT,
              Type.DURATION,
              "30s",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "How long to wait for Kafka at start-up before failing with a clear error.")
          .define(
              TOPIC_CREATE,
              Type.BOOLEAN,
              "false",
              "Create the topic at start-up when it is missing (else a missing topic is an"
                  + " error).")
          .define(
              TOPIC_PARTITIONS,
              Type.INT,
              "3",
              ConfigDef.between(1, 10_000),
              "Partitions of a topic created by topic.create.")
          .define(
              TOPIC_REPLICATION,
              Type.INT,
              "1",
              ConfigDef.between(1, 100),
              "Replication factor of a topic created by topic.create.")
          .define(
              MAX_MESSAGE_BYTES,
              Type.INT,
              String.valueOf(StreamMessage.DEFAULT_MAX_BYTES),
              ConfigDef.between(1024, 64 << 20),
              "Larger stream messages are counted as malformed and skipped.")
          .define(
              LOG_MALFORMED,
              Type.INT,
              String.valueOf(StatusPipeline.DEFAULT_LOG_MALFORMED),
              ConfigDef.between(0, 1_000_000),
              "How many malformed messages to log (truncated); all are counted.")
          .define(
              KAFKA_PREFIX + "bootstrap.servers",
              Type.STRING,
              "localhost:9092",
              ConfigDef.nonEmpty(),
              "Kafka brokers, host:port, comma-separated.")
          .define(
              KAFKA_PREFIX + "acks",
              Type.STRING,
              "all",
              ConfigDef.oneOf("all", "-1", "0", "1"),
              "Acknowledgements a send waits for; all keeps every acknowledged record.")
          .define(
              KAFKA_PREFIX + "enable.idempotence",
              Type.BOOLEAN,
              "true",
              "Retries never duplicate or reorder records.")
          .define(
              KAFKA_PREFIX + "compression.type",
              Type.STRING,
              "snappy",
              ConfigDef.oneOf("none", "gzip", "snappy", "lz4"),
              "Batch compression (status JSON compresses about 4:1).")
          .define(
              KAFKA_PREFIX + "linger.ms",
              Type.INT,
              "20",
              ConfigDef.between(0, 60_000),
              "How long a batch waits for more records.")
          .define(
              KAFKA_PREFIX + "batch.size",
              Type.INT,
              "32768",
              ConfigDef.between(0, 16 << 20),
              "Batch size per partition, in bytes.")
          .passThrough(
              KAFKA_PREFIX,
              "Any other Kafka producer property (security.protocol, sasl.mechanism,"
                  + " sasl.jaas.config, ssl.truststore.location, ...), passed through.");

  private final Config config;
  private final KeywordList keywords;

  private ProducerSettings(Config config) {
    this.config = config;
    this.keywords = KeywordList.parse(config.getString(KEYWORDS));
    if (source().equals("file") && config.getString(INPUT).isEmpty()) {
      throw ConfigException.invalid(INPUT, "", "source=file needs the path of a JSON-lines file");
    }
    if (!source().equals("file") && !config.getString(INPUT).isEmpty()) {
      throw ConfigException.invalid(
          INPUT,
          config.getString(INPUT),
          "only read when source=file (source is " + source() + ")");
    }
    if (!v2()) {
      for (String key : new String[] {STREAM_BACKFILL, STREAM_RATE_LIMIT_BACKOFF, RULES_DRY_RUN}) {
        if (config.isSet(key)) {
          Object value =
              key.equals(STREAM_BACKFILL)
                  ? (Object) config.getInt(key)
                  : key.equals(RULES_DRY_RUN)
                      ? (Object) config.getBoolean(key)
                      : config.getDuration(key);
          throw ConfigException.invalid(key, value, "only read when stream.api=v2");
        }
      }
    }
    if (rulesDryRun() && !source().equals("stream")) {
      throw ConfigException.invalid(
          RULES_DRY_RUN, "true", "only read when source=stream (source is " + source() + ")");
    }
    Map<String, Object> kafka = kafkaProperties();
    for (String serializer : new String[] {"key.serializer", "value.serializer"}) {
      if (kafka.containsKey(serializer)) {
        // The producer's own: keys are the keywords as strings, values the bytes received.
        throw ConfigException.invalid(
            KAFKA_PREFIX + serializer,
            kafka.get(serializer),
            "cannot be set: records are string keys and the status bytes as received");
      }
    }
    kafka.put("key.serializer", StringSerializer.class.getName());
    kafka.put("value.serializer", ByteArraySerializer.class.getName());
    KafkaConfigs.check(kafka, p -> new ProducerConfig(p), KAFKA_PREFIX);
  }

  /** Resolves the settings from the command line and the environment. */
  public static ProducerSettings load(String[] args, Map<String, String> env) {
    return new ProducerSettings(new ConfigLoader(DEF, ENV_PREFIX).load(args, env));
  }

  /** Builds settings from key/value pairs alone (tests). */
  static ProducerSettings of(Map<String, String> values) {
    return new ProducerSettings(DEF.parse(values));
  }

  public static String help() {
    return DEF.help(ENV_PREFIX);
  }

  private static void validateKeywords(Object value) {
    KeywordList.parse((String) value);
  }

  private static void validateHost(Object value) {
    String host = (String) value;
    if (!host.isEmpty() && !host.startsWith("http://") && !host.startsWith("https://")) {
      throw new IllegalArgumentException("expected an address starting with http:// or https://");
    }
  }

  public KeywordList keywords() {
    return keywords;
  }

  public String topic() {
    return config.getString(TOPIC);
  }

  public String source() {
    return config.getString(SOURCE);
  }

  public Path input() {
    return Paths.get(config.getString(INPUT));
  }

  public String streamHost() {
    String host = config.getString(STREAM_HOST);
    if (host.isEmpty()) {
      host = v2() ? "https://api.x.com" : "https://stream.twitter.com";
    }
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }

  /** Whether the stream is the X API v2 filtered stream. */
  public boolean v2() {
    return config.getString(STREAM_API).equals("v2");
  }

  public int backfillMinutes() {
    return config.getInt(STREAM_BACKFILL);
  }

  public Duration rateLimitBackoff() {
    return config.getDuration(STREAM_RATE_LIMIT_BACKOFF);
  }

  public boolean rulesDryRun() {
    return config.getBoolean(RULES_DRY_RUN);
  }

  public String credentialsFile() {
    return config.getString(CREDENTIALS_FILE);
  }

  public int queueCapacity() {
    return config.getInt(QUEUE_CAPACITY);
  }

  public Duration streamStallTimeout() {
    if (v2() && !config.isSet(STREAM_STALL_TIMEOUT)) {
      return Duration.ofSeconds(30);
    }
    return config.getDuration(STREAM_STALL_TIMEOUT);
  }

  public int streamRetries() {
    return config.getInt(STREAM_RETRIES);
  }

  /** The key for unmatched statuses, or null when they are not sent. */
  public String unmatchedKey() {
    String key = config.getString(UNMATCHED_KEY);
    return key.isEmpty() ? null : key;
  }

  public boolean dryRun() {
    return config.getBoolean(DRY_RUN);
  }

  public Duration reportInterval() {
    return config.getDuration(REPORT_INTERVAL);
  }

  /** The JSON-lines status file, or null when there is none. */
  public Path statusFile() {
    String file = config.getString(STATUS_FILE);
    return file.isEmpty() ? null : Paths.get(file);
  }

  public Duration shutdownTimeout() {
    return config.getDuration(SHUTDOWN_TIMEOUT);
  }

  public Duration startupTimeout() {
    return config.getDuration(STARTUP_TIMEOUT);
  }

  public boolean createTopic() {
    return config.getBoolean(TOPIC_CREATE);
  }

  public int topicPartitions() {
    return config.getInt(TOPIC_PARTITIONS);
  }

  public short topicReplicationFactor() {
    return (short) config.getInt(TOPIC_REPLICATION);
  }

  public int maxMessageBytes() {
    return config.getInt(MAX_MESSAGE_BYTES);
  }

  public int logMalformed() {
    return config.getInt(LOG_MALFORMED);
  }

  /** Every Kafka producer property: the defined ones with their defaults, then pass-through. */
  public Map<String, Object> kafkaProperties() {
    Map<String, Object> props = new LinkedHashMap<>();
    for (ConfigDef.Key key : DEF.keys()) {
      if (key.name.startsWith(KAFKA_PREFIX)) {
        Object v;
        switch (key.type) {
          case INT:
            v = config.getInt(key.name);
            break;
          case BOOLEAN:
            v = config.getBoolean(key.name);
            break;
          default:
            v = config.getString(key.name);
        }
        props.put(key.name.substring(KAFKA_PREFIX.length()), v);
      }
    }
    props.putAll(config.passThrough(KAFKA_PREFIX));
    return props;
  }

  /** The settings a user changed, with where each came from; secrets hidden. */
  public String describe() {
    return config.describe();
  }
}
