package io.trendline.consumer;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The value deserializer of the consumer's Kafka stream: the value is not read. The consumer counts
 * keys (the producer keys each record by its keyword) and never looks at the status in the value,
 * and decoding it from UTF-8 into a {@code String} was most of the cost of reading a record (a
 * status is some 3 KB, its keyword a few bytes). Every record's value is therefore null.
 */
public final class UnreadValue implements Deserializer<String> {
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public String deserialize(String topic, byte[] data) {
    return null;
  }

  @Override
  public void close() {}
}
