package io.trendline.dashboard;

import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigDef.Type;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.kafka.KafkaConfigs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The dashboard's settings, typed and validated once at start-up: defaults < properties file
 * ({@code --config FILE} or {@code TRENDLINE_DASHBOARD_CONFIG}) < environment ({@code
 * TRENDLINE_DASHBOARD_*}) < command line ({@code --key value}). Kafka consumer properties go under
 * {@code kafka.} (security settings pass through). Immutable.
 */
final class DashboardSettings {
  static final String ENV_PREFIX = "TRENDLINE_DASHBOARD_";

  static final String TOPIC = "topic";
  static final String HTTP_HOST = "http.host";
  static final String HTTP_PORT = "http.port";
  static final String HISTORY = "history";
  static final String STALE_AFTER = "stale.after";
  static final String MAX_PAGES = "max.pages";
  static final String MAX_RECORD_BYTES = "max.record.bytes";
  static final String KAFKA_PREFIX = "kafka.";

  static final ConfigDef DEF =
      new ConfigDef()
          .define(
              TOPIC,
              Type.STRING,
              ConfigDef.REQUIRED,
              ConfigDef.nonEmpty(),
              "The consumer's ranking topic (its sink.kafka.topic). Read from the rankings of the"
                  + " last `history`, then followed; a topic that does not exist yet is waited for.")
          .define(
              HTTP_HOST,
              Type.STRING,
              "127.0.0.1",
              ConfigDef.nonEmpty(),
              "Address to serve the page on: loopback by default; 0.0.0.0 for every interface"
                  + " (the page has no login: put it behind your own proxy if you do).")
          .define(
              HTTP_PORT,
              Type.INT,
              "8050",
              ConfigDef.between(0, 65535),
              "Port to serve the page on; 0 takes a free one (printed at start).")
          .define(
              HISTORY,
              Type.DURATION,
              "15m",
              DashboardSettings::validateHistory,
              "How far back the line chart goes; at start, read back from the topic by"
                  + " timestamp, so a page opened late is not empty.")
          .define(
              STALE_AFTER,
              Type.DURATION,
              "10s",
              ConfigDef.atLeast(Duration.ofSeconds(1)),
              "With no new ranking for this long the page says the pipeline is stale (and"
                  + " /healthz answers 503).")
          .define(
              MAX_PAGES,
              Type.INT,
              "50",
              ConfigDef.between(1, 10_000),
              "Pages open at once; more are refused (HTTP 503) until one closes.")
          .define(
              MAX_RECORD_BYTES,
              Type.INT,
              String.valueOf(1 << 20),
              ConfigDef.between(64, 64 << 20),
              "Ranking records larger than this are counted as bad, not read.")
          .define(
              KAFKA_PREFIX + "bootstrap.servers",
              Type.STRING,
              "localhost:9092",
              ConfigDef.nonEmpty(),
              "Kafka brokers, host:port, comma-separated.")
          .passThrough(
              KAFKA_PREFIX,
              "Any other Kafka consumer property (security.protocol, sasl.mechanism,"
                  + " sasl.jaas.config, ssl.truststore.location, ...), passed through. The"
                  + " dashboard joins no consumer group and commits nothing.");

  private final Config config;

  private DashboardSettings(Config config) {
    this.config = config;
    KafkaConfigs.check(kafkaProperties(), p -> new ConsumerConfig(p), KAFKA_PREFIX);
  }

  static DashboardSettings load(String[] args, Map<String, String> env) {
    return new DashboardSettings(new ConfigLoader(DEF, ENV_PREFIX).load(args, env));
  }

  /** From key/value pairs alone (tests). */
  static DashboardSettings of(Map<String, String> values) {
    return new DashboardSettings(DEF.parse(values));
  }

  static String help() {
    return DEF.help(ENV_PREFIX);
  }

  private static void validateHistory(Object value) {
    Duration d = (Duration) value;
    // An hour at one ranking a second is 3,600 rankings held and sent to each page that opens.
    if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("expected between 1m and 1h");
    }
  }

  String topic() {
    return config.getString(TOPIC);
  }

  String httpHost() {
    return config.getString(HTTP_HOST);
  }

  int httpPort() {
    return config.getInt(HTTP_PORT);
  }

  Duration history() {
    return config.getDuration(HISTORY);
  }

  Duration staleAfter() {
    return config.getDuration(STALE_AFTER);
  }

  int maxPages() {
    return config.getInt(MAX_PAGES);
  }

  int maxRecordBytes() {
    return config.getInt(MAX_RECORD_BYTES);
  }

  /**
   * The Kafka consumer's properties: what the user set, then what the dashboard needs (bytes in, no
   * group, no commits).
   */
  Map<String, Object> kafkaProperties() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("bootstrap.servers", config.getString(KAFKA_PREFIX + "bootstrap.servers"));
    props.putAll(config.passThrough(KAFKA_PREFIX));
    for (String k : new String[] {"group.id", "enable.auto.commit"}) {
      if (props.containsKey(k)
          && !(k.equals("enable.auto.commit") && "false".equals(props.get(k)))) {
        throw ConfigException.invalid(
            KAFKA_PREFIX + k, props.get(k), "the dashboard joins no group and commits nothing");
      }
    }
    props.put("enable.auto.commit", "false");
    props.putIfAbsent("client.id", "trendline-dashboard");
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return props;
  }

  /** The settings a user changed, with where each came from; secrets hidden. */
  String describe() {
    return config.describe();
  }
}
