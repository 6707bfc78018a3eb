package io.trendline.consumer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The key deserializer of the consumer's Kafka stream: a record's key (its keyword) as a UTF-8
 * string, as Kafka's {@code StringDeserializer} reads it by default, malformed bytes replaced
 * alike. Kafka's looks its charset up by name for every record ({@code new String(bytes, "UTF8")});
 * with keys of a few bytes that lookup was about 40 % of the time a task spent reading records (a
 * JFR profile of the rate benchmark).
 */
public final class Utf8Key implements Deserializer<String> {
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public String deserialize(String topic, byte[] data) {
    return data == null ? null : new String(data, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {}
}
