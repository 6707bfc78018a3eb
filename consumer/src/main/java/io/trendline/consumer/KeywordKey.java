package io.trendline.consumer;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The key deserializer of the consumer's Kafka stream: a record's key (its keyword) as a string, as
 * Kafka's {@code StringDeserializer} reads it: UTF-8 unless {@code key.deserializer.encoding} (or
 * {@code deserializer.encoding}) names another charset, malformed bytes replaced alike. Kafka's
 * looks its charset up by name for every record ({@code new String(bytes, "UTF8")}); with keys of a
 * few bytes that lookup was about 40 % of the time a task spent reading records (a JFR profile of
 * the rate benchmark). This one looks it up once.
 */
public final class KeywordKey implements Deserializer<String> {
  /** The settings naming the keys' charset, in the order Kafka's deserializer reads them. */
  static final String[] ENCODING = {"key.deserializer.encoding", "deserializer.encoding"};

  private Charset charset = StandardCharsets.UTF_8;

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // As Kafka's: the general setting only when the key's is absent, and only a string counts.
    Object name = configs.get(ENCODING[0]);
    if (name == null) {
      name = configs.get(ENCODING[1]);
    }
    if (name instanceof String) {
      charset = Charset.forName((String) name);
    }
  }

  @Override
  public String deserialize(String topic, byte[] data) {
    return data == null ? null : new String(data, charset);
  }

  @Override
  public void close() {}
}
