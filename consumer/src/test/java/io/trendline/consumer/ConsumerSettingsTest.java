package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerSettingsTest {
  private static final Map<String, String> NO_ENV = Collections.emptyMap();

  private static ConsumerSettings load(String... args) {
    return ConsumerSettings.load(args, NO_ENV);
  }

  @Test
  void sparkKeepsFewerJobsForItsUiUnlessTold() {
    org.apache.spark.SparkConf conf = load("--checkpoint.dir", "c").sparkConf("t");
    assertEquals("100", conf.get("spark.ui.retainedJobs"));
    assertEquals("100", conf.get("spark.ui.retainedStages"));
    conf = load("--checkpoint.dir", "c", "--spark.ui.retainedJobs", "1000").sparkConf("t");
    assertEquals("1000", conf.get("spark.ui.retainedJobs"));
    assertEquals("100", conf.get("spark.ui.retainedStages"));
  }

  @Test
  void defaultsAreOneSecondBatchesOverAFiveMinuteWindow() {
    ConsumerSettings s = load("--checkpoint.dir", "/tmp/x");
    assertEquals(1000, s.batchMs());
    assertEquals(300_000, s.windowMs());
    assertEquals(1000, s.slideMs());
    assertEquals(10_000, s.checkpointMs());
    assertEquals(10, s.top());
    Map<String, Object> kafka = s.kafkaParams();
    assertEquals("latest", kafka.get("auto.offset.reset"));
    assertEquals(false, kafka.get("enable.auto.commit"));
    assertEquals("trendline-consumer", kafka.get("group.id"));
    assertEquals("true", s.sparkProperties().get("spark.streaming.stopGracefullyOnShutdown"));
    assertTrue(
        "kafka.sasl.jaas.config"
            .matches(".*(" + s.sparkProperties().get("spark.redaction.regex") + ").*"),
        "the Spark UI redacts what looks like a secret");
  }

  @Test
  void kafkaAndSparkPropertiesPassThrough() {
    Map<String, String> env = new HashMap<>();
    env.put("TRENDLINE_CONSUMER_KAFKA_SASL_MECHANISM", "PLAIN");
    ConsumerSettings s =
        ConsumerSettings.load(
            new String[] {
              "--checkpoint.dir", "hdfs:///ckpt",
              "--kafka.security.protocol", "SASL_SSL",
              "--spark.master", "local[2]",
              "--max.rate.per.partition", "500",
              "--backpressure"
            },
            env);
    assertEquals("SASL_SSL", s.kafkaParams().get("security.protocol"));
    assertEquals("PLAIN", s.kafkaParams().get("sasl.mechanism"));
    assertEquals("local[2]", s.sparkProperties().get("spark.master"));
    assertEquals("500", s.sparkProperties().get("spark.streaming.kafka.maxRatePerPartition"));
    assertEquals("true", s.sparkProperties().get("spark.streaming.backpressure.enabled"));
  }

  /**
   * The executors' consumers fetch up to 4 MB a partition through a 1 MB receive buffer unless set;
   * Spark's Kafka stream casts receive.buffer.bytes to an Integer: it must arrive as one.
   */
  @Test
  void theReceiveBufferReachesSparkAsAnInteger() {
    Map<String, Object> defaults = load("--checkpoint.dir", "c").kafkaParams();
    assertEquals(Integer.valueOf(1 << 20), defaults.get("receive.buffer.bytes"));
    assertEquals(Integer.valueOf(4 << 20), defaults.get("max.partition.fetch.bytes"));
    assertEquals(
        "65536",
        load("--checkpoint.dir", "c", "--kafka.max.partition.fetch.bytes", "65536")
            .kafkaParams()
            .get("max.partition.fetch.bytes"),
        "a setting given stays");
    assertEquals(
        Integer.valueOf(262_144),
        load("--checkpoint.dir", "c", "--kafka.receive.buffer.bytes", " 262144 ")
            .kafkaParams()
            .get("receive.buffer.bytes"),
        "a value given stays, as an Integer");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--kafka.receive.buffer.bytes", "1MB"));
    assertTrue(e.getMessage().contains("kafka.receive.buffer.bytes"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  /** Batches must run one after another: offsets are committed, and states uncached, in turn. */
  @Test
  void concurrentJobsOtherThanOneAreRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--spark.streaming.concurrentJobs", "2"));
    assertEquals(
        "Invalid value '2' for configuration spark.streaming.concurrentJobs: must be 1: the"
            + " consumer's batches run one after another",
        e.getMessage());
    assertEquals(
        "1",
        load("--checkpoint.dir", "c", "--spark.streaming.concurrentJobs", "1")
            .sparkProperties()
            .get("spark.streaming.concurrentJobs"));
  }

  @Test
  void windowSlideAndCheckpointIntervalMustBeMultiples() {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> load("--checkpoint.dir", "c", "--window", "1500ms"));
    assertEquals(
        "Invalid value '1500ms' for configuration window: must be a multiple of batch.interval"
            + " (1000 ms)",
        e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--batch.interval", "2s", "--slide", "3s"));
    assertTrue(e.getMessage().contains("configuration slide"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--slide", "2s", "--checkpoint.interval", "5s"));
    assertTrue(e.getMessage().contains("multiple of slide"), e.getMessage());
    assertEquals(
        60_000, load("--checkpoint.dir", "c", "--checkpoint.interval", "60s").checkpointMs());
    // Unset, the interval follows the slide: the longest multiple within 10 s and 60 slides.
    assertEquals(9_000, load("--checkpoint.dir", "c", "--slide", "3s").checkpointMs());
    assertEquals(20_000, load("--checkpoint.dir", "c", "--slide", "20s").checkpointMs());
    assertEquals(
        6_000,
        load("--checkpoint.dir", "c", "--batch.interval", "100ms", "--slide", "100ms")
            .checkpointMs());
    assertEquals(
        9_750,
        load("--checkpoint.dir", "c", "--batch.interval", "250ms", "--slide", "750ms")
            .checkpointMs());
    e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--checkpoint.interval", "61s"));
    assertTrue(e.getMessage().contains("at most 60 slides (60000 ms)"), e.getMessage());
    assertEquals(
        600_000,
        load("--checkpoint.dir", "c", "--slide", "10s", "--checkpoint.interval", "10m")
            .checkpointMs());
    e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--window", "1s", "--slide", "2s"));
    assertTrue(e.getMessage().contains("must not exceed window"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--kafka.key.deserializer.encoding", "UTF-9"));
    assertTrue(
        e.getMessage().contains("kafka.key.deserializer.encoding")
            && e.getMessage().contains("not a charset"),
        e.getMessage());
    assertEquals(
        "ISO-8859-1",
        load("--checkpoint.dir", "c", "--kafka.deserializer.encoding", "ISO-8859-1")
            .kafkaParams()
            .get("deserializer.encoding"));
    e = assertThrows(ConfigException.class, () -> load());
    assertTrue(e.getMessage().startsWith("Missing required configuration checkpoint.dir"));
    e =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "c", "--kafka.auto.offset.reset", "smallest"));
    assertTrue(e.getMessage().contains("expected one of latest, earliest, none"));
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void totalsNeedASlideOfOneBatchAndTheirTimeoutOnlyWithThem() {
    ConsumerSettings on = load("--checkpoint.dir", "/tmp/x", "--totals", "true");
    assertEquals(24 * 3_600_000L, on.totalsIdleTimeout().milliseconds());
    assertEquals(null, load("--checkpoint.dir", "/tmp/x").totalsIdleTimeout());
    ConfigException slide =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "/tmp/x", "--totals", "true", "--slide", "2s"));
    assertTrue(
        slide.getMessage().contains("needs slide equal to batch.interval"), slide.getMessage());
    ConfigException alone =
        assertThrows(
            ConfigException.class,
            () -> load("--checkpoint.dir", "/tmp/x", "--totals.idle.timeout", "1h"));
    assertTrue(alone.getMessage().contains("only read when totals=true"), alone.getMessage());
  }

  @Test
  void theShippedConfigFileLoadsAndHelpListsEveryKey() {
    Path conf = Paths.get("..", "conf", "consumer.properties");
    assertTrue(Files.exists(conf));
    ConsumerSettings s = load("--config", conf.toString());
    assertEquals("tweets", s.topic());
    assertEquals("checkpoint", s.checkpointDir());
    String help = ConsumerSettings.help();
    for (ConfigDef.Key key : ConsumerSettings.DEF.keys()) {
      assertTrue(help.contains("--" + key.name + " "), key.name);
    }
  }

  @Test
  void wrongKafkaAndSparkValuesAreOneLineNamingTheKeyNotAStackTraceLater() {
    assertEquals(
        "Invalid value 'abc' for configuration kafka.max.poll.records: Not a number of type INT",
        assertThrows(
                ConfigException.class,
                () -> load("--checkpoint.dir", "/tmp/x", "--kafka.max.poll.records", "abc"))
            .getMessage());
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> load("--checkpoint.dir", "/tmp/x", "--kafka.security.protocol", "TLS"))
            .getMessage()
            .startsWith("Invalid value 'TLS' for configuration kafka.security.protocol: expected"));
    String master =
        assertThrows(
                ConfigException.class,
                () -> load("--checkpoint.dir", "/tmp/x", "--spark.master", "local[x]"))
            .getMessage();
    assertTrue(
        master.startsWith("Invalid value 'local[x]' for configuration spark.master: expected"),
        master);
    for (String ok : new String[] {"local", "local[2]", "local[*]", "local[4, 3]", "yarn"}) {
      assertEquals(
          ok,
          load("--checkpoint.dir", "/tmp/x", "--spark.master", ok)
              .sparkProperties()
              .get("spark.master"));
    }
  }

  @Test
  void backpressureStartsAtABoundedInitialRate() {
    assertFalse(
        load("--checkpoint.dir", "/tmp/x")
            .sparkProperties()
            .containsKey("spark.streaming.backpressure.initialRate"),
        "without backpressure there is no initial rate");
    assertEquals(
        "10000",
        load("--checkpoint.dir", "/tmp/x", "--backpressure")
            .sparkProperties()
            .get("spark.streaming.backpressure.initialRate"));
    assertEquals(
        "500",
        load("--checkpoint.dir", "/tmp/x", "--backpressure", "--backpressure.initial.rate", "500")
            .sparkProperties()
            .get("spark.streaming.backpressure.initialRate"));
  }

  @Test
  void aJaasConfigurationFromTheSettingsFileStaysThereOutOfTheParametersSparkCheckpoints()
      throws Exception {
    Path file = Files.createTempFile("consumer", ".properties");
    try {
      Files.write(
          file,
          java.util.Arrays.asList(
              "checkpoint.dir=/tmp/x",
              "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                  + " required username=\"u\" password=\"planted\";"),
          java.nio.charset.StandardCharsets.UTF_8);
      Object fromFile = load("--config", file.toString()).kafkaParams().get("sasl.jaas.config");
      assertEquals(
          FileJaasLoginModule.reference(file.toString(), "kafka.sasl.jaas.config"), fromFile);
      assertFalse(fromFile.toString().contains("planted"));
      Map<String, String> env = new HashMap<>();
      env.put("TRENDLINE_CONSUMER_KAFKA_SASL_JAAS_CONFIG", "x required password=\"e\";");
      assertEquals(
          "x required password=\"e\";",
          ConsumerSettings.load(new String[] {"--checkpoint.dir", "/tmp/x"}, env)
              .kafkaParams()
              .get("sasl.jaas.config"),
          "from the environment it is used as given");
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void sslPasswordsFromTheSettingsFileAreSerializedAsReferencesAndReadBackFromTheFile()
      throws Exception {
    Path file = Files.createTempFile("consumer", ".properties");
    try {
      Files.write(
          file,
          java.util.Arrays.asList(
              "checkpoint.dir=/tmp/x",
              "kafka.security.protocol=SSL",
              "kafka.ssl.truststore.location=/tmp/trust.p12",
              "kafka.ssl.truststore.password=planted-store-pass"),
          java.nio.charset.StandardCharsets.UTF_8);
      Object p = load("--config", file.toString()).kafkaParams().get("ssl.truststore.password");
      assertTrue(p instanceof org.apache.kafka.common.config.types.Password, "" + p);
      assertEquals(
          "planted-store-pass", ((org.apache.kafka.common.config.types.Password) p).value());
      assertFalse(p.toString().contains("planted"));

      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
        out.writeObject(new HashMap<>(Collections.singletonMap("ssl.truststore.password", p)));
      }
      String serialized =
          new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertFalse(serialized.contains("planted"), "the password is not in the serialized form");
      assertTrue(serialized.contains(file.getFileName().toString()), "the reference is");

      // Read back after the file changed (a rotated password): the file's value now.
      Files.write(
          file,
          Collections.singletonList("kafka.ssl.truststore.password=rotated"),
          java.nio.charset.StandardCharsets.UTF_8);
      Object back;
      try (java.io.ObjectInputStream in =
          new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
        back = ((Map<?, ?>) in.readObject()).get("ssl.truststore.password");
      }
      assertEquals("rotated", ((org.apache.kafka.common.config.types.Password) back).value());
    } finally {
      Files.delete(file);
    }
  }
}
