package io.trendline.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.trendline.common.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class KafkaConfigsTest {
  private static Map<String, Object> consumer(String key, Object value) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", "127.0.0.1:9");
    p.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    p.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    p.put(key, value);
    return p;
  }

  private static String fails(Map<String, Object> props) {
    return assertThrows(
            ConfigException.class,
            () -> KafkaConfigs.check(props, p -> new ConsumerConfig(p), "kafka."))
        .getMessage();
  }

  @Test
  void aValidConfigurationPasses() {
    KafkaConfigs.check(consumer("max.poll.records", "500"), p -> new ConsumerConfig(p), "kafka.");
    Map<String, Object> producer = new HashMap<>();
    producer.put("bootstrap.servers", "127.0.0.1:9");
    producer.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    producer.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    producer.put("security.protocol", "sasl_ssl");
    KafkaConfigs.check(producer, p -> new ProducerConfig(p), "kafka.");
  }

  @Test
  void aWrongValueIsOneLineNamingTheSettingAsTheUserWroteIt() {
    assertEquals(
        "Invalid value 'abc' for configuration kafka.max.poll.records: Not a number of type INT",
        fails(consumer("max.poll.records", "abc")));
    assertEquals(
        "Invalid value 'FOO' for configuration kafka.security.protocol: expected one of"
            + " PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL",
        fails(consumer("security.protocol", "FOO")));
    String isolation = fails(consumer("isolation.level", "dirty"));
    assertEquals(
        "Invalid value 'dirty' for configuration kafka.isolation.level: ",
        isolation.substring(0, isolation.indexOf(':') + 2),
        isolation);
  }

  @Test
  void aSecretIsNeverShownInTheError() {
    String message = fails(consumer("ssl.key.password", 42));
    assertEquals(false, message.contains("42"), message);
  }
}
