package io.trendline.common.kafka;

import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * Checks a Kafka client's properties at start-up with Kafka's own definitions, so that a wrong
 * value stops the application with one line naming the setting as the user wrote it ({@code
 * kafka.max.poll.records}), not with a stack trace from inside a client or a Spark job.
 */
public final class KafkaConfigs {
  /** What Kafka 2.0's ConfigException says of a wrong value. */
  private static final Pattern INVALID =
      Pattern.compile("Invalid value (.*) for configuration (\\S+?)(?::\\s*(.*))?", Pattern.DOTALL);

  private KafkaConfigs() {}

  /**
   * Parses {@code props} with {@code parser} (for example {@code p -> new ConsumerConfig(p)}) and
   * checks what Kafka 2.0 leaves unchecked until a client starts ({@code security.protocol}).
   *
   * @param prefix how the user names these properties ({@code "kafka."})
   * @throws ConfigException naming {@code prefix + key}, the value and what was expected
   */
  public static void check(
      Map<String, Object> props, Consumer<Map<String, Object>> parser, String prefix) {
    Object protocol = props.get("security.protocol");
    if (protocol != null
        && !SecurityProtocol.names().contains(protocol.toString().toUpperCase(Locale.ROOT))) {
      throw ConfigException.invalid(
          prefix + "security.protocol",
          protocol,
          "expected one of " + String.join(", ", SecurityProtocol.names()));
    }
    try {
      parser.accept(props);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = INVALID.matcher(message);
      if (m.matches()) {
        String key = m.group(2);
        String why = m.group(3) == null ? "rejected by Kafka" : m.group(3).trim();
        Object value = props.containsKey(key) ? props.get(key) : m.group(1);
        throw ConfigException.invalid(prefix + key, Config.isSecret(key) ? "[hidden]" : value, why);
      }
      for (String key : props.keySet()) {
        if (Config.isSecret(key) && message.contains(String.valueOf(props.get(key)))) {
          message = "rejected by Kafka (the message would show a secret)";
        }
      }
      throw new ConfigException("invalid Kafka settings (" + prefix + "*): " + message);
    }
  }
}
