package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import io.trendline.streamserver.FaultPlan;
import io.trendline.streamserver.MessageSource;
import io.trendline.streamserver.StreamServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream server, the real Hosebird client over a socket, and a real Kafka broker: the records,
 * keys and counts that land in the topic are exactly those the statuses call for, across
 * reconnects, and a shutdown in mid-stream loses nothing.
 */
class ProducerIT {
  static final String KEYWORDS = "bitcoin,IoT,smart city";
  private static Path dir;
  private static KafkaBrokerProcess broker;

  @BeforeAll
  static void startBroker() throws Exception {
    dir = Files.createTempDirectory("producer-it");
    broker =
        KafkaBrokerProcess.builder(dir.resolve("kafka"))
            .topic("exact", 3)
            .topic("jar", 3)
            .topic("shutdown", 3)
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** A status in Twitter's shape, written for these tests. */
  static String status(long id, String text, String... hashtags) {
    StringBuilder tags = new StringBuilder();
    for (String h : hashtags) {
      tags.append(tags.length() == 0 ? "" : ",").append("{\"text\":\"").append(h).append("\"}");
    }
    return "{\"created_at\":\"Sun Mar 25 15:09:49 +0000 2018\",\"id\":"
        + id
        + ",\"id_str\":\""
        + id
        + "\",\"text\":\""
        + text
        + "\",\"user\":{\"id\":7,\"screen_name\":\"someone\"},"
        + "\"entities\":{\"hashtags\":["
        + tags
        + "],\"urls\":[],\"user_mentions\":[],\"symbols\":[]},"
        + "\"lang\":\"en\",\"timestamp_ms\":\"1521990589602\"}";
  }

  /** Statuses with the keys each must yield, stated by hand (not by the matcher under test). */
  static final class Fixture {
    final List<String> messages = new ArrayList<>();
    final Map<String, Integer> expected = new TreeMap<>();

    /** Statuses the server delivers: it honours track, as Twitter did. */
    int delivered;

    void add(String json, String... keys) {
      messages.add(json);
      if (keys.length > 0) {
        delivered++;
      }
      for (String k : keys) {
        expected.merge(k, 1, Integer::sum);
      }
    }
  }

  static Fixture fixture(int rounds) {
    Fixture f = new Fixture();
    long id = 1000;
    for (int i = 0; i < rounds; i++) {
      f.add(status(id++, "Bitcoin's price, again"), "bitcoin");
      f.add(status(id++, "new sensors everywhere", "IoT"), "IoT");
      f.add(status(id++, "the #IoT of bitcoin.org"), "bitcoin", "IoT");
      f.add(status(id++, "what an idiot, 5GHz and $MIOTA"));
      f.add(status(id++, "our city gets smart"), "smart city");
      f.messages.add("{\"limit\":{\"track\":" + (i + 1) + ",\"timestamp_ms\":\"1521990589602\"}}");
      if (i % 5 == 0) {
        f.messages.add("{\"id\":1,\"text\":\"cut short");
      }
    }
    return f;
  }

  private static Map<String, String> credentials() {
    Map<String, String> env = new HashMap<>();
    env.put(Credentials.ENV_CONSUMER_KEY, "it-key");
    env.put(Credentials.ENV_CONSUMER_SECRET, "it-secret");
    env.put(Credentials.ENV_TOKEN, "it-token");
    env.put(Credentials.ENV_TOKEN_SECRET, "it-token-secret");
    return env;
  }

  @Test
  void exactRecordsKeysAndCountsLandAcrossReconnects() throws Exception {
    Fixture f = fixture(20);
    // A clean close, a cut status, then a stall (no data, no keep-alives) far longer than the
    // stall timeout: each ends a connection, and Hosebird reconnects.
    FaultPlan faults =
        FaultPlan.builder()
            .closeAfter(17)
            .cutAfter(55, 2)
            .stallAfter(5, Duration.ofMinutes(10), 3)
            .build();
    try (StreamServer server =
        StreamServer.builder()
            .source(MessageSource.of(f.messages))
            .faults(faults)
            .build()
            .start()) {
      KeywordList keywords = KeywordList.parse(KEYWORDS);
      HosebirdSource source =
          new HosebirdSource(
              server.url(),
              keywords,
              Credentials.load("", credentials()),
              1000,
              5,
              Duration.ofSeconds(2));
      ProducerMetrics metrics = new ProducerMetrics(keywords);
      Map<String, Object> props = new HashMap<>();
      props.put("bootstrap.servers", broker.bootstrapServers());
      props.put("acks", "all");
      props.put("enable.idempotence", true);
      int expectedRecords = 0;
      for (int n : f.expected.values()) {
        expectedRecords += n;
      }
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        StatusPipeline pipeline =
            StatusPipeline.builder(source, new TrackMatcher(keywords), metrics)
                .producer(producer)
                .topic("exact")
                .build();
        source.start();
        Thread runner =
            new Thread(
                () -> {
                  try {
                    pipeline.run();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (metrics.acked.get() < expectedRecords && System.nanoTime() < deadline) {
          runner.join(50);
        }
        pipeline.stop();
        runner.join(30_000);
        source.close();
      }
      Map<String, Integer> landed = new TreeMap<>();
      for (ConsumerRecord<String, String> r : readAll("exact")) {
        landed.merge(r.key(), 1, Integer::sum);
      }
      assertEquals(f.expected, landed);
      assertEquals(f.delivered, metrics.statuses.get(), "every matching status arrived once");
      assertEquals(0, metrics.unmatched.get(), "the server filtered by track");
      assertEquals(20, metrics.limitUndelivered.get());
      assertTrue(source.disconnects() >= 3, "each fault made Hosebird reconnect");
      assertEquals(
          source.received(),
          metrics.messages.get() + source.dropped(),
          "every message Hosebird read is counted: read by the pipeline or dropped");
      String activity = source.activity();
      assertTrue(
          activity.matches(
              "Stream: connected [4-9] times, disconnected [3-9] times \\(dropped or stalled\\),"
                  + " 0 connection errors; [0-9]+ messages received\\."),
          activity);
    }
  }

  /**
   * An unthrottled stream, taken as the pipeline takes it: a poll takes what the queue holds, up to
   * {@link HosebirdSource#TAKE_AT_ONCE} messages, and every message comes out once, in the order
   * sent; any the full queue had to drop are counted.
   */
  @Test
  void aFastStreamIsTakenInOrderAndWhole() throws Exception {
    int n = 3 * HosebirdSource.TAKE_AT_ONCE + 17;
    int capacity = 2 * HosebirdSource.TAKE_AT_ONCE;
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      messages.add(status(i, "bitcoin number " + i));
    }
    try (StreamServer server =
            StreamServer.builder().source(MessageSource.of(messages)).rate(0).build().start();
        HosebirdSource source =
            new HosebirdSource(
                server.url(),
                KeywordList.parse(KEYWORDS),
                Credentials.load("", credentials()),
                capacity,
                5,
                Duration.ofSeconds(30))) {
      source.start();
      // Wait (polling a condition, with a deadline) until the queue holds more than a poll takes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (source.received() <= HosebirdSource.TAKE_AT_ONCE) {
        assertTrue(System.nanoTime() < deadline, "the stream fills the queue");
        Thread.sleep(5); // polling interval of the condition above
      }
      List<Long> ids = new ArrayList<>();
      byte[] first = source.poll(60, TimeUnit.SECONDS);
      ids.add(Long.parseLong(StreamMessage.parse(first, 1 << 20).status().id()));
      assertEquals(
          HosebirdSource.TAKE_AT_ONCE - 1, source.taken(), "the first poll took 256 at once");
      while (ids.size() + source.dropped() < n) {
        byte[] m = source.poll(60, TimeUnit.SECONDS);
        assertTrue(m != null, "the stream stalled after " + ids.size() + " messages");
        ids.add(Long.parseLong(StreamMessage.parse(m, 1 << 20).status().id()));
        assertTrue(source.taken() < HosebirdSource.TAKE_AT_ONCE, "taken " + source.taken());
      }
      for (int i = 1; i < ids.size(); i++) {
        assertTrue(
            ids.get(i) > ids.get(i - 1),
            "in the order sent, once each: ... " + ids.subList(Math.max(0, i - 3), i + 1));
      }
      assertEquals(n, ids.size() + source.dropped());
      assertEquals(n, source.received(), "Hosebird read each message once");
      if (source.dropped() == 0) {
        assertEquals(0L, ids.get(0).longValue());
        assertEquals(n - 1L, ids.get(n - 1).longValue());
      }
    }
  }

  @Test
  void theJarRunsAsAUserRunsItAndAShutdownMidStreamLosesNothing() throws Exception {
    Fixture f = fixture(400);
    try (StreamServer server =
        StreamServer.builder().source(MessageSource.of(f.messages)).rate(400).build().start()) {
      Path status = dir.resolve("shutdown-status.jsonl");
      Process p =
          startJar(
              server.url(),
              "shutdown",
              dir.resolve("shutdown.out"),
              "--report.interval",
              "500ms",
              "--status.file",
              status.toString());
      // Stop it in mid-stream: once some records are acknowledged, well before the end.
      awaitLine(p, dir.resolve("shutdown.out"), "acked [1-9]");
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the producer stops within its bound");
      assertEquals(0, p.exitValue(), log(dir.resolve("shutdown.out")));
      String out = log(dir.resolve("shutdown.out"));
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("Records sent (\\d+), acknowledged (\\d+), failed (\\d+)")
              .matcher(out);
      assertTrue(m.find(), out);
      long sent = Long.parseLong(m.group(1));
      long acked = Long.parseLong(m.group(2));
      assertEquals(sent, acked, out);
      assertEquals("0", m.group(3));
      assertTrue(sent > 0 && sent < 400 * 6, "stopped in mid-stream: " + sent);
      assertEquals(acked, readAll("shutdown").size(), "every acknowledged record is in the topic");
      List<String> lines = Files.readAllLines(status, StandardCharsets.UTF_8);
      JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
      assertTrue(last.get("final").getAsBoolean(), lines.toString());
      assertEquals(sent, last.get("sent").getAsLong());
      assertEquals(acked, last.get("acked").getAsLong());
      assertEquals(1, lines.stream().filter(l -> l.contains("\"final\":true")).count());
    }
  }

  @Test
  void rejectedCredentialsStopWithAClearErrorNotRetries() throws Exception {
    try (StreamServer server =
        StreamServer.builder()
            .source(MessageSource.of(Collections.<String>emptyList()))
            .requireConsumerKey("the-right-key")
            .build()
            .start()) {
      Path out = dir.resolve("401.out");
      Process p = startJar(server.url(), "jar", out);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, p.exitValue());
      assertTrue(log(out).contains("rejected the credentials (HTTP 401)"), log(out));
    }
  }

  @Test
  void aMissingTopicOrAnUnreachableClusterFailsFastAndClearly() throws Exception {
    Path out = dir.resolve("missing.out");
    Process p = startJar("http://127.0.0.1:9", "no-such-topic", out);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, p.exitValue());
    assertTrue(log(out).contains("topic 'no-such-topic' does not exist"), log(out));

    Path out2 = dir.resolve("unreachable.out");
    Process q =
        startJarWith("http://127.0.0.1:9", "jar", out2, "127.0.0.1:1", "--startup.timeout", "3s");
    assertTrue(q.waitFor(60, TimeUnit.SECONDS));
    assertEquals(3, q.exitValue());
    assertTrue(log(out2).contains("cannot reach Kafka at 127.0.0.1:1 within 3 s"), log(out2));
  }

  private static Process startJar(String streamUrl, String topic, Path out, String... extra)
      throws Exception {
    return startJarWith(streamUrl, topic, out, broker.bootstrapServers(), extra);
  }

  private static Process startJarWith(
      String streamUrl, String topic, Path out, String bootstrap, String... extra)
      throws Exception {
    Path jar = Paths.get("target", "trendline-producer-all.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "the fat jar is built before integration tests");
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(
        Arrays.asList(
            "--keywords",
            KEYWORDS,
            "--stream.host",
            streamUrl,
            "--topic",
            topic,
            "--kafka.bootstrap.servers",
            bootstrap));
    cmd.addAll(Arrays.asList(extra));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(credentials());
    return pb.start();
  }

  static void awaitLine(Process p, Path out, String regex) throws Exception {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (pattern.matcher(log(out)).find()) {
        return;
      }
      if (p.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the producer exited early: " + log(out));
      }
    }
    throw new AssertionError("no line matching " + regex + " in " + log(out));
  }

  static String log(Path out) throws Exception {
    return Files.exists(out) ? new String(Files.readAllBytes(out), StandardCharsets.UTF_8) : "";
  }

  /** Every record now in the topic, read from the beginning to the end offsets. */
  static List<ConsumerRecord<String, String>> readAll(String topic) {
    return readAll(broker, topic);
  }

  /** Every record now in the topic of {@code broker}. */
  static List<ConsumerRecord<String, String>> readAll(KafkaBrokerProcess broker, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : c.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        boolean done = true;
        for (TopicPartition tp : tps) {
          done &= c.position(tp) >= end.get(tp);
        }
        if (done) {
          break;
        }
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          records.add(r);
        }
      }
    }
    return records;
  }

  @Test
  void aStatusLargerThanTheTopicTakesIsCountedAsMalformedNotSentToFail() throws Exception {
    Map<String, Object> admin = new HashMap<>();
    admin.put("bootstrap.servers", broker.bootstrapServers());
    try (AdminClient client = AdminClient.create(admin)) {
      client
          .createTopics(
              Collections.singleton(
                  new NewTopic("small", 1, (short) 1)
                      .configs(Collections.singletonMap("max.message.bytes", "20000"))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    StringBuilder big = new StringBuilder("bitcoin");
    while (big.length() < 30_000) {
      big.append(" bitcoin");
    }
    Path capture = dir.resolve("sizes.jsonl");
    Files.write(
        capture,
        Arrays.asList(
            status(1, "bitcoin small"), status(2, big.toString()), status(3, "bitcoin small too")),
        StandardCharsets.UTF_8);
    Path out = dir.resolve("sizes.out");
    Process p =
        startJar(
            "http://127.0.0.1:9", "small", out, "--source", "file", "--input", capture.toString());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), log(out));
    assertTrue(
        log(out)
            .contains("statuses up to " + (20000 - ProducerMain.RECORD_OVERHEAD_BYTES) + " bytes"),
        log(out));
    assertTrue(log(out).contains("1 malformed or unknown"), log(out));
    assertTrue(log(out).contains("Records sent 2, acknowledged 2, failed 0"), log(out));
    assertEquals(2, readAll("small").size());
  }
}
