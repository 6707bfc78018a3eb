package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {
  private static final Map<String, String> NO_ENV = Collections.emptyMap();

  @Test
  void carefulKafkaDefaultsOverridableAndPassedThrough() {
    Map<String, String> env = new HashMap<>();
    env.put("TRENDLINE_PRODUCER_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    ProducerSettings s =
        ProducerSettings.load(
            new String[] {
              "--keywords", "bitcoin,IoT", "--kafka.linger.ms", "5", "--kafka.client.id=x"
            },
            env);
    Map<String, Object> kafka = s.kafkaProperties();
    assertEquals("all", kafka.get("acks"));
    assertEquals(true, kafka.get("enable.idempotence"));
    assertEquals("snappy", kafka.get("compression.type"));
    assertEquals(32768, kafka.get("batch.size"));
    assertEquals(5, kafka.get("linger.ms"));
    assertEquals("x", kafka.get("client.id"));
    assertEquals("SASL_SSL", kafka.get("security.protocol"));
    assertEquals("localhost:9092", kafka.get("bootstrap.servers"));
    assertEquals("tweets", s.topic());
    assertEquals("https://stream.twitter.com", s.streamHost());
  }

  @Test
  void theSerializersAreTheProducersOwn() {
    for (String key : new String[] {"--kafka.key.serializer", "--kafka.value.serializer"}) {
      ConfigException e =
          assertThrows(
              ConfigException.class,
              () ->
                  ProducerSettings.load(
                      new String[] {"--keywords", "x", key, "org.example.Mine"}, NO_ENV));
      assertTrue(e.getMessage().contains(key.substring(2)), e.getMessage());
      assertTrue(e.getMessage().contains("cannot be set"), e.getMessage());
    }
  }

  @Test
  void badValuesFailWithOneLineNamingTheKey() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ProducerSettings.load(new String[0], NO_ENV));
    assertTrue(e.getMessage().startsWith("Missing required configuration keywords"));
    e =
        assertThrows(
            ConfigException.class,
            () -> ProducerSettings.load(new String[] {"--keywords", "a,,b"}, NO_ENV));
    assertEquals(
        "Invalid value 'a,,b' for configuration keywords: keyword 2: a keyword must not be empty",
        e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                ProducerSettings.load(
                    new String[] {"--keywords", "a", "--stream.host", "stream.example"}, NO_ENV));
    assertTrue(e.getMessage().contains("stream.host"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                ProducerSettings.load(
                    new String[] {"--keywords", "a", "--kafka.acks", "2"}, NO_ENV));
    assertTrue(e.getMessage().startsWith("Invalid value '2' for configuration kafka.acks"));
    e =
        assertThrows(
            ConfigException.class,
            () ->
                ProducerSettings.load(
                    new String[] {"--keywords", "a", "--source", "file"}, NO_ENV));
    assertTrue(e.getMessage().contains("configuration input"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void theShippedConfigFileLoads() {
    Path conf = Paths.get("..", "conf", "producer.properties");
    assertTrue(Files.exists(conf), "conf/producer.properties is shipped");
    ProducerSettings s = ProducerSettings.load(new String[] {"--config", conf.toString()}, NO_ENV);
    assertEquals("bitcoin,blockchain,IoT,5G", s.keywords().trackParameter());
    assertEquals("tweets", s.topic());
  }

  @Test
  void helpListsEveryKey() {
    String help = ProducerSettings.help();
    for (io.trendline.common.config.ConfigDef.Key key : ProducerSettings.DEF.keys()) {
      assertTrue(help.contains("--" + key.name + " "), key.name);
    }
  }

  @Test
  void kafkaPropertiesAreCheckedWithKafkasOwnDefinitionsAtStartUp() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                ProducerSettings.load(
                    new String[] {"--keywords", "a", "--kafka.security.protocol", "SASL_TLS"},
                    NO_ENV));
    assertEquals(
        "Invalid value 'SASL_TLS' for configuration kafka.security.protocol: expected one of"
            + " PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL",
        e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                ProducerSettings.load(
                    new String[] {"--keywords", "a", "--kafka.max.request.size", "big"}, NO_ENV));
    assertEquals(
        "Invalid value 'big' for configuration kafka.max.request.size: Not a number of type INT",
        e.getMessage());
  }
}
