package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.process.JavaProcess;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.util.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application's graph on the real Kafka direct stream, a real broker and a topic of three
 * partitions, in local[2]: rankings (the sink path and the JSON Kafka sink) equal what was
 * produced, committed offsets reach the end, and a driver restarted from its checkpoint goes on
 * counting the same window with nothing counted twice and nothing lost.
 */
class ConsumerIT {
  static final BlockingQueue<Ranking> RANKINGS = new LinkedBlockingQueue<>();

  static final class QueueSink implements RankingSink {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(Ranking ranking) {
      RANKINGS.add(ranking);
    }
  }

  private static Path dir;
  private static KafkaBrokerProcess broker;

  @BeforeAll
  static void startBroker() throws Exception {
    dir = Files.createTempDirectory("consumer-it");
    broker =
        KafkaBrokerProcess.builder(dir.resolve("kafka"))
            .topic("tweets", 3)
            .topic("trends", 1)
            .topic("restart", 3)
            .topic("backlog", 3)
            .topic("graceful", 3)
            .topic("retention", 3)
            .topic("planted", 3)
            .topic("leave", 3)
            .topic("slide", 3)
            .topic("commits", 3)
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static void produce(String topic, Map<String, Integer> counts) throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      int i = 0;
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        for (int n = 0; n < e.getValue(); n++) {
          String key = e.getKey().equals("(null)") ? null : e.getKey();
          producer.send(new ProducerRecord<>(topic, i++ % 3, key, "{\"id\":" + i + "}")).get();
        }
      }
    }
  }

  /** The settings of these tests' consumers, as arguments. */
  private static List<String> settingsArgs(
      String topic, String group, String checkpoint, String... extra) {
    List<String> args =
        new ArrayList<>(
            Arrays.asList(
                "--topic",
                topic,
                "--checkpoint.dir",
                checkpoint,
                "--checkpoint.interval",
                "2s",
                "--kafka.bootstrap.servers",
                broker.bootstrapServers(),
                "--kafka.group.id",
                group,
                "--kafka.auto.offset.reset",
                "earliest",
                "--sink.console",
                "false"));
    args.addAll(Arrays.asList(extra));
    return args;
  }

  private static ConsumerSettings settings(
      String topic, String group, String checkpoint, String... extra) {
    return ConsumerSettings.load(
        settingsArgs(topic, group, checkpoint, extra).toArray(new String[0]),
        Collections.<String, String>emptyMap());
  }

  private static SparkConf conf() {
    return new SparkConf()
        .setMaster("local[2]")
        .setAppName("consumer-it")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.ui.enabled", "false");
  }

  private static JavaStreamingContext getOrCreate(ConsumerSettings s) {
    List<RankingSink> sinks = new ArrayList<>(TrendsApp.sinks(s));
    sinks.add(new QueueSink());
    return JavaStreamingContext.getOrCreate(
        s.checkpointDir(), () -> TrendsApp.createContext(s, conf(), sinks));
  }

  /** Waits for a ranking whose total (keyed records) reaches {@code total}. */
  private static Ranking awaitTotal(long total) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Ranking last = null;
    while (System.nanoTime() < deadline) {
      Ranking r = RANKINGS.poll(1, TimeUnit.SECONDS);
      if (r != null) {
        last = r;
        if (r.total >= total) {
          return r;
        }
      }
    }
    throw new AssertionError(
        "no ranking reached " + total + "; last: " + (last == null ? null : last.top));
  }

  private static Map<String, Long> counts(Ranking r) {
    return counts(r.top);
  }

  private static Map<String, Long> counts(List<Ranking.Entry> rows) {
    Map<String, Long> m = new TreeMap<>();
    for (Ranking.Entry e : rows) {
      m.put(e.keyword, e.count);
    }
    return m;
  }

  /** Keywords and how many records to produce for each, in keyword order. */
  private static Map<String, Integer> records(Object... kv) {
    Map<String, Integer> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Integer) kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Long> expected(Object... kv) {
    Map<String, Long> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Integer) kv[i + 1]).longValue());
    }
    return m;
  }

  @Test
  void rankingsMatchWhatWasProducedAndOffsetsAreCommitted() throws Exception {
    RANKINGS.clear();
    Map<String, Integer> sent =
        records("bitcoin", 40, "IoT", 25, "5G", 25, "blockchain", 7, "", 2, "(null)", 3);
    produce("tweets", sent);
    // receive.buffer.bytes: a Kafka setting Spark's stream reads as a number (it failed with a
    // ClassCastException when passed on as the string given).
    ConsumerSettings s =
        settings(
            "tweets",
            "it-group",
            dir.resolve("ckpt-1").toString(),
            "--sink.kafka.topic",
            "trends",
            "--kafka.receive.buffer.bytes",
            "262144");
    JavaStreamingContext jssc = getOrCreate(s);
    jssc.start();
    try {
      Ranking r = awaitTotal(97);
      assertEquals(expected("bitcoin", 40, "IoT", 25, "5G", 25, "blockchain", 7), counts(r));
      assertEquals(
          Arrays.asList("bitcoin", "5G", "IoT", "blockchain"),
          keywords(r),
          "by count, ties by keyword");
      assertEquals(5, r.invalid, "two empty and three null keys");
      assertEquals(97, r.total);

      JsonObject json = awaitJsonRanking(97);
      assertEquals(300_000, json.get("windowMs").getAsLong());
      assertEquals(5, json.get("invalidKeys").getAsLong());
      Map<String, Long> fromJson = new TreeMap<>();
      for (JsonElement e : json.getAsJsonArray("top")) {
        fromJson.put(
            e.getAsJsonObject().get("keyword").getAsString(),
            e.getAsJsonObject().get("count").getAsLong());
      }
      assertEquals(counts(r), fromJson);

      assertEquals(102L, awaitCommitted("tweets", "it-group", 102), "offsets committed to the end");
    } finally {
      stopGracefully(jssc);
    }
  }

  @Test
  void aDriverRestartedFromItsCheckpointContinuesTheWindow() throws Exception {
    RANKINGS.clear();
    String checkpoint = dir.resolve("ckpt-restart").toString();
    produce("restart", records("a", 3, "b", 2));
    JavaStreamingContext jssc =
        getOrCreate(settings("restart", "restart-group", checkpoint, "--totals", "true"));
    jssc.start();
    try {
      Ranking before = awaitTotal(5);
      assertEquals(expected("a", 3, "b", 2), counts(before));
      assertEquals(expected("a", 3, "b", 2), counts(before.totals), "all-time totals");
      awaitCommitted("restart", "restart-group", 5);
    } finally {
      stopGracefully(jssc); // every batch done, the checkpoint written
    }

    RANKINGS.clear();
    produce("restart", records("a", 1, "c", 4));
    JavaStreamingContext restarted =
        getOrCreate(settings("restart", "restart-group", checkpoint, "--totals", "true"));
    restarted.start();
    try {
      Ranking r = awaitTotal(10);
      assertEquals(expected("a", 4, "b", 2, "c", 4), counts(r), "nothing twice, nothing lost");
      assertEquals(
          expected("a", 4, "b", 2, "c", 4),
          counts(r.totals),
          "the totals survive the restart, equal to what was produced");
      assertEquals(10, r.totalsRecords);
      // And it stays so: later batches neither add nor drop anything.
      for (int i = 0; i < 3; i++) {
        Ranking later = RANKINGS.poll(30, TimeUnit.SECONDS);
        assertTrue(later != null && later.total == 10, "later batches keep the window");
        assertEquals(10, later.totalsRecords, "and the totals");
      }
    } finally {
      stopGracefully(restarted);
    }
  }

  /**
   * The other shape of the graph on Kafka: the window's state on two partitions (a task per Kafka
   * partition, the counts moved by key) and a slide of two batches, through a restart from the
   * checkpoint.
   */
  @Test
  void onTwoPartitionsSlidingByTwoBatchesARestartedDriverContinuesTheWindow() throws Exception {
    RANKINGS.clear();
    String checkpoint = dir.resolve("ckpt-slide").toString();
    String[] shape = {"--slide", "2s", "--partitions", "2"};
    produce("slide", records("a", 3, "b", 2));
    JavaStreamingContext jssc = getOrCreate(settings("slide", "slide-group", checkpoint, shape));
    jssc.start();
    try {
      Ranking before = awaitTotal(5);
      assertEquals(expected("a", 3, "b", 2), counts(before));
      assertEquals(2000L, before.slideMs);
    } finally {
      stopGracefully(jssc);
    }

    RANKINGS.clear();
    produce("slide", records("a", 1, "c", 4));
    JavaStreamingContext restarted =
        getOrCreate(settings("slide", "slide-group", checkpoint, shape));
    restarted.start();
    try {
      Ranking r = awaitTotal(10);
      assertEquals(expected("a", 4, "b", 2, "c", 4), counts(r), "nothing twice, nothing lost");
      long last = r.batchTime;
      for (int i = 0; i < 3; i++) {
        Ranking later = RANKINGS.poll(30, TimeUnit.SECONDS);
        assertTrue(later != null && later.total == 10, "later slides keep the window");
        assertEquals(last + 2000, later.batchTime, "a ranking every two batches");
        last = later.batchTime;
      }
    } finally {
      stopGracefully(restarted);
    }
  }

  /**
   * Stops {@code jssc} gracefully (every batch done, its offsets committed, the checkpoint
   * written). On Spark 3.5.1 in local mode one run in about a hundred hung here, the last batch's
   * ranking job waiting for a task that was never launched (cause unknown; see the README). So the
   * stop is watched: after three minutes every thread's stack goes to the test's output, for the
   * diagnosis, and Spark itself is stopped, which fails the stuck job and so ends the stop; the
   * test then goes on to its assertions (which a lost batch would fail) instead of hanging until
   * the fork's timeout.
   */
  private static void stopGracefully(JavaStreamingContext jssc) throws Exception {
    java.util.concurrent.atomic.AtomicReference<Throwable> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread stopper =
        new Thread(
            () -> {
              try {
                jssc.stop(true, true);
              } catch (Throwable t) {
                failed.set(t);
              }
            },
            "graceful-stop");
    stopper.setDaemon(true);
    stopper.start();
    stopper.join(TimeUnit.MINUTES.toMillis(3));
    if (stopper.isAlive()) {
      StringBuilder dump = new StringBuilder("graceful stop still running after 3 minutes:\n");
      for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
        dump.append('"').append(e.getKey().getName()).append("\" ").append(e.getKey().getState());
        dump.append('\n');
        for (StackTraceElement f : e.getValue()) {
          dump.append("    at ").append(f).append('\n');
        }
      }
      System.err.println(dump);
      jssc.sparkContext().stop();
      stopper.join(TimeUnit.MINUTES.toMillis(2));
      assertTrue(!stopper.isAlive(), "the stop ends once Spark is stopped");
    }
    Throwable t = failed.get();
    if (t instanceof Exception) {
      throw (Exception) t;
    } else if (t instanceof Error) {
      throw (Error) t;
    }
  }

  @Test
  void aBatchCountedBeforeARestartLeavesTheWindowAfterIt() throws Exception {
    RANKINGS.clear();
    String checkpoint = dir.resolve("ckpt-leave").toString();
    produce("leave", Collections.singletonMap("a", 3));
    String[] window = {"--window", "4s"};
    JavaStreamingContext jssc = getOrCreate(settings("leave", "leave-group", checkpoint, window));
    jssc.start();
    try {
      assertEquals(3, awaitTotal(3).total);
    } finally {
      stopGracefully(jssc);
    }
    // The batch that held the records left the window after the stop, or leaves it after the
    // restart: either way the restarted driver subtracts it, from the checkpointed state (which
    // holds each batch of the window) or from the batches after that checkpoint, re-read from
    // Kafka by the offset ranges in the checkpoint. The window empties and stays empty; no
    // ranking counts them twice or below zero.
    RANKINGS.clear();
    JavaStreamingContext restarted =
        getOrCreate(settings("leave", "leave-group", checkpoint, window));
    restarted.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int empty = 0;
      while (empty < 3) {
        assertTrue(System.nanoTime() < deadline, "the window empties within two minutes");
        Ranking r = RANKINGS.poll(1, TimeUnit.SECONDS);
        if (r == null) {
          continue;
        }
        if (empty > 0) {
          assertEquals(0, r.total, "once empty the window stays empty: " + r.top);
        }
        assertTrue(r.total == 0 || counts(r).equals(expected("a", 3)), "a ranking: " + r.top);
        if (r.total == 0) {
          empty++;
        }
      }
    } finally {
      stopGracefully(restarted);
    }
  }

  private static List<String> keywords(Ranking r) {
    List<String> k = new ArrayList<>();
    for (Ranking.Entry e : r.top) {
      k.add(e.keyword);
    }
    return k;
  }

  private static KafkaConsumer<String, String> reader(String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    if (group != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  private static JsonObject awaitJsonRanking(long total) {
    try (KafkaConsumer<String, String> c = reader(null)) {
      TopicPartition tp = new TopicPartition("trends", 0);
      c.assign(Collections.singletonList(tp));
      c.seekToBeginning(Collections.singletonList(tp));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> rec : c.poll(Duration.ofMillis(500))) {
          JsonObject o = JsonParser.parseString(rec.value()).getAsJsonObject();
          if (o.get("total").getAsLong() >= total) {
            return o;
          }
        }
      }
    }
    throw new AssertionError("no JSON ranking with total " + total);
  }

  /** Waits until the group's committed offsets, summed over partitions, reach {@code end}. */
  private static long awaitCommitted(String topic, String group, long end)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long sum = 0;
    try (KafkaConsumer<String, String> c = reader(group)) {
      while (System.nanoTime() < deadline) {
        sum = 0;
        for (int p = 0; p < 3; p++) {
          OffsetAndMetadata o = c.committed(new TopicPartition(topic, p));
          sum += o == null ? 0 : o.offset();
        }
        if (sum >= end) {
          return sum;
        }
        Thread.sleep(200); // polling interval of a condition with a deadline
      }
    }
    return sum;
  }

  /** Runs the application's main in a JVM of its own, as spark-submit would, to its exit. */
  private static JavaProcess app(String name, String... args) {
    List<String> cmd =
        new ArrayList<>(
            Arrays.asList("-cp", System.getProperty("java.class.path"), TrendsApp.class.getName()));
    cmd.addAll(Arrays.asList(args));
    return JavaProcess.start(
        name, cmd, Collections.<String, String>emptyMap(), dir.resolve(name + ".log"));
  }

  @Test
  void withoutKafkaOrWithoutItsTopicTheStartIsOneLineAndExitCode3() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // free once closed: nothing listens there
    }
    String nowhere = "127.0.0.1:" + closed;
    JavaProcess unreachable =
        app(
            "unreachable",
            "--kafka.bootstrap.servers",
            nowhere,
            "--checkpoint.dir",
            dir.resolve("ckpt-unreachable").toString(),
            "--startup.timeout",
            "3s",
            "--spark.master",
            "local[2]");
    JavaProcess missing =
        app(
            "missing-topic",
            "--kafka.bootstrap.servers",
            broker.bootstrapServers(),
            "--topic",
            "no-such-topic",
            "--checkpoint.dir",
            dir.resolve("ckpt-missing").toString(),
            "--spark.master",
            "local[2]");
    for (JavaProcess p : Arrays.asList(unreachable, missing)) {
      assertTrue(p.waitFor(60_000), p.name() + " ends by itself; " + p.tail(20));
      assertEquals(3, p.exitValue(), p.tail(20));
    }
    assertEquals(
        Collections.singletonList("error: cannot reach Kafka at " + nowhere + " within 3 s"),
        errors(unreachable));
    assertEquals(
        Collections.singletonList(
            "error: topic 'no-such-topic' does not exist on Kafka at "
                + broker.bootstrapServers()
                + "; create it (the producer does with topic.create=true)"),
        errors(missing));
  }

  private static List<String> errors(JavaProcess p) {
    List<String> errors = new ArrayList<>();
    for (String line : p.readLog()) {
      if (line.startsWith("error:") || line.contains("Exception")) {
        errors.add(line);
      }
    }
    return errors;
  }

  @Test
  void theJarTakesAStandardJaasConfigurationUnchanged() throws Exception {
    Path jar =
        Paths.get(System.getProperty("trendline.consumer.jar", "target/trendline-consumer.jar"))
            .toAbsolutePath();
    assertTrue(Files.exists(jar), "the consumer jar is built before integration tests");
    // The jar's classes (with Kafka relocated) and Spark and Hadoop from the test's classpath, as
    // a cluster provides them: no unrelocated Kafka, which a cluster's Spark does not have.
    List<String> classpath = new ArrayList<>(Collections.singletonList(jar.toString()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.endsWith("classes")
          && !Paths.get(entry).getFileName().toString().contains("kafka")) {
        classpath.add(entry);
      }
    }
    Path log = dir.resolve("jaas.log");
    // As an operator writes it: a standard JAAS configuration in the settings file.
    Path config =
        Files.write(
            dir.resolve("jaas-consumer.properties"),
            Collections.singletonList(
                "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                    + " required username=\"u\" password=\"never-shown\";"),
            StandardCharsets.UTF_8);
    JavaProcess p =
        JavaProcess.start(
            "consumer jar",
            Arrays.asList(
                "-cp",
                String.join(File.pathSeparator, classpath),
                TrendsApp.class.getName(),
                "--config",
                config.toString(),
                "--kafka.bootstrap.servers",
                broker.bootstrapServers(),
                "--kafka.security.protocol",
                "SASL_PLAINTEXT",
                "--kafka.sasl.mechanism",
                "PLAIN",
                "--checkpoint.dir",
                dir.resolve("ckpt-jaas").toString(),
                "--startup.timeout",
                "3s"),
            Collections.<String, String>emptyMap(),
            log);
    assertTrue(p.waitFor(60_000), p.tail(20));
    // This broker speaks no SASL, so the start fails, but as a start that found its login modules
    // (FileJaasLoginModule, then Kafka's PlainLoginModule, relocated in the jar) and then could not
    // use the cluster: one line, exit code 3. Without the mapping it was a stack trace: "No
    // LoginModule found for org.apache.kafka...PlainLoginModule".
    assertEquals(3, p.exitValue(), p.tail(20));
    String out = String.join("\n", p.readLog());
    assertFalse(out.contains("No LoginModule found"), out);
    assertFalse(out.contains("never-shown"), out);
    assertTrue(out.contains("\nerror: cannot use Kafka at " + broker.bootstrapServers()), out);
    assertFalse(out.contains("\tat "), "no stack trace: " + out);
  }

  /** A sink that cannot take the first ranking (a dashboard or topic down for a moment). */
  static final class FailsOnceSink implements RankingSink {
    private static final long serialVersionUID = 1L;
    static final java.util.concurrent.atomic.AtomicBoolean FAILED =
        new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void accept(Ranking ranking) {
      if (FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("the sink is down");
      }
    }
  }

  /**
   * With a slide of two batches, the records read in a batch between slides are committed with the
   * ranking that holds them, and not at all when its sink fails: a start on a new checkpoint then
   * reads them again. Under a manual clock, so each batch runs when the test says. (The direct
   * stream sends the commits asked for when it makes the next batch, and its consumer's close waits
   * for the commits sent: after the stop, what was committed is on the broker.)
   */
  @Test
  void aBatchBetweenSlidesIsCommittedOnlyWithARankingThatWasGivenOut() throws Exception {
    produce("commits", records("a", 4, "b", 2));
    // First run: the sink fails at the first slide, which holds the batch before it, and takes
    // the next slide's ranking: no commit after a ranking that was not given out.
    FailsOnceSink.FAILED.set(false);
    ConsumerSettings failing =
        settings(
            "commits", "commits-group", dir.resolve("ckpt-commits-1").toString(), "--slide", "2s");
    JavaStreamingContext first =
        TrendsApp.createContext(
            failing, manualClock(), Collections.<RankingSink>singletonList(new FailsOnceSink()));
    BlockingQueue<BatchInfo> done = completedBatches(first);
    first.start();
    try {
      ManualClock clock = (ManualClock) first.ssc().scheduler().clock();
      BatchInfo read = advanceToBatch(clock, done, 1000);
      assertEquals(6, read.numRecords(), "the first batch, between slides, reads everything");
      BatchInfo slide = advanceToBatch(clock, done, 2000);
      assertTrue(anOutputFailed(slide), "the ranking's output failed");
      // The next slide's ranking is taken; the batch after it makes the direct stream send
      // whatever commit was asked for.
      BatchInfo next = advanceToBatch(clock, done, 4000);
      assertFalse(anOutputFailed(next), "the next slide's ranking was given out");
      advanceToBatch(clock, done, 5000);
    } finally {
      first.stop(true, false);
    }
    assertEquals(0, committed("commits", "commits-group"), "nothing given out, nothing committed");

    // Second run, on a new checkpoint and a working sink: everything is read again and ranked,
    // then committed.
    RANKINGS.clear();
    ConsumerSettings working =
        settings(
            "commits", "commits-group", dir.resolve("ckpt-commits-2").toString(), "--slide", "2s");
    JavaStreamingContext second =
        TrendsApp.createContext(
            working, manualClock(), Collections.<RankingSink>singletonList(new QueueSink()));
    done = completedBatches(second);
    second.start();
    try {
      ManualClock clock = (ManualClock) second.ssc().scheduler().clock();
      assertEquals(6, advanceToBatch(clock, done, 1000).numRecords(), "read again from the start");
      advanceToBatch(clock, done, 2000);
      // Asked for by the slide's ranking, sent when the next batch is made: not yet.
      assertEquals(0, committed("commits", "commits-group"), "not committed before a ranking");
      Ranking r = RANKINGS.poll(30, TimeUnit.SECONDS);
      assertTrue(r != null && r.total == 6, "the slide's ranking holds them: " + r);
      advanceToBatch(clock, done, 3000);
    } finally {
      second.stop(true, false);
    }
    assertEquals(6, committed("commits", "commits-group"), "committed with the ranking");
  }

  /** Whether one of the batch's output operations failed. */
  private static boolean anOutputFailed(BatchInfo batch) {
    return scala.collection.JavaConverters.mapAsJavaMapConverter(batch.outputOperationInfos())
        .asJava()
        .values()
        .stream()
        .anyMatch(o -> o.failureReason().isDefined());
  }

  private static SparkConf manualClock() {
    return conf().set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
  }

  private static BlockingQueue<BatchInfo> completedBatches(JavaStreamingContext jssc) {
    BlockingQueue<BatchInfo> done = new LinkedBlockingQueue<>();
    jssc.addStreamingListener(
        new BatchCompletedListener() {
          @Override
          protected void batchCompleted(BatchInfo info) {
            done.add(info);
          }
        });
    return done;
  }

  /** Advances the manual clock to {@code ms} and returns that batch once it completed. */
  private static BatchInfo advanceToBatch(ManualClock clock, BlockingQueue<BatchInfo> done, long ms)
      throws InterruptedException {
    clock.setTime(ms);
    while (true) {
      BatchInfo info = done.poll(60, TimeUnit.SECONDS);
      assertNotNull(info, "the batch of " + ms + " completes");
      if (info.batchTime().milliseconds() == ms) {
        return info;
      }
    }
  }

  /** The group's committed offsets on {@code topic}, summed over its three partitions. */
  private static long committed(String topic, String group) {
    try (KafkaConsumer<String, String> c = reader(group)) {
      long sum = 0;
      for (int p = 0; p < 3; p++) {
        OffsetAndMetadata o = c.committed(new TopicPartition(topic, p));
        sum += o == null ? 0 : o.offset();
      }
      return sum;
    }
  }

  @Test
  void withBackpressureTheFirstBatchOfABacklogReadsAtTheInitialRate() throws Exception {
    produce("backlog", Collections.singletonMap("a", 3000));
    ConsumerSettings s =
        settings(
            "backlog",
            "backlog-group",
            dir.resolve("ckpt-backlog").toString(),
            "--backpressure",
            "--backpressure.initial.rate",
            "300");
    SparkConf conf = conf();
    for (Map.Entry<String, String> e : s.sparkProperties().entrySet()) {
      if (e.getKey().startsWith("spark.streaming.backpressure.")) {
        conf.set(e.getKey(), e.getValue());
      }
    }
    JavaStreamingContext jssc =
        TrendsApp.createContext(s, conf, Collections.<RankingSink>emptyList());
    BlockingQueue<Long> records = new LinkedBlockingQueue<>();
    jssc.addStreamingListener(
        new BatchCompletedListener() {
          @Override
          protected void batchCompleted(BatchInfo info) {
            records.add(info.numRecords());
          }
        });
    jssc.start();
    try {
      long first = 0;
      while (first == 0) {
        Long n = records.poll(60, TimeUnit.SECONDS);
        assertTrue(n != null, "a batch completes");
        first = n;
      }
      assertTrue(
          first <= 300,
          "the first batch reads at 300 records/s, not the backlog of 3000: " + first);
    } finally {
      jssc.stop(true, false);
    }
  }

  @Test
  void aGracefulStopCommitsTheLastProcessedBatchsOffsets() throws Exception {
    RANKINGS.clear();
    produce("graceful", Collections.singletonMap("a", 30));
    JavaStreamingContext jssc =
        getOrCreate(
            settings("graceful", "graceful-group", dir.resolve("ckpt-graceful").toString()));
    jssc.start();
    try {
      assertEquals(30, awaitTotal(30).total);
    } finally {
      stopGracefully(jssc);
    }
    // Read at once, not awaited: the stop itself must have committed them.
    try (KafkaConsumer<String, String> c = reader("graceful-group")) {
      long committed = 0;
      for (int p = 0; p < 3; p++) {
        OffsetAndMetadata o = c.committed(new TopicPartition("graceful", p));
        committed += o == null ? 0 : o.offset();
      }
      assertEquals(30, committed, "the group's committed offsets are the topic's end offsets");
    }
  }

  @Test
  void recordsDeletedByRetentionWhileTheJobWasDownStopItWithOneLine() throws Exception {
    RANKINGS.clear();
    String checkpoint = dir.resolve("ckpt-retention").toString();
    produce("retention", Collections.singletonMap("a", 9)); // offsets 0-2 of each partition
    JavaStreamingContext jssc = getOrCreate(settings("retention", "retention-group", checkpoint));
    jssc.start();
    try {
      assertEquals(9, awaitTotal(9).total);
    } finally {
      stopGracefully(jssc);
    }
    // While the job is down, more records arrive and retention deletes the first unread ones.
    produce("retention", Collections.singletonMap("b", 9)); // offsets 3-5
    Map<String, Object> admin = new HashMap<>();
    admin.put("bootstrap.servers", broker.bootstrapServers());
    Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
    for (int p = 0; p < 3; p++) {
      delete.put(new TopicPartition("retention", p), RecordsToDelete.beforeOffset(5));
    }
    try (AdminClient client = AdminClient.create(admin)) {
      client.deleteRecords(delete).all().get(60, TimeUnit.SECONDS);
    }

    List<String> cmd = new ArrayList<>();
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-opens")) {
        cmd.add(option); // what Spark 2.4 needs on this JDK, as this JVM has it
      }
    }
    cmd.addAll(
        Arrays.asList("-cp", System.getProperty("java.class.path"), TrendsApp.class.getName()));
    cmd.addAll(
        settingsArgs(
            "retention",
            "retention-group",
            checkpoint,
            "--spark.master",
            "local[2]",
            "--spark.driver.host",
            "127.0.0.1",
            "--spark.ui.enabled",
            "false"));
    JavaProcess restarted =
        JavaProcess.start(
            "restarted consumer",
            cmd,
            Collections.<String, String>emptyMap(),
            dir.resolve("retention.log"));
    try {
      assertTrue(restarted.waitFor(120_000), restarted.tail(30));
      assertEquals(4, restarted.exitValue(), restarted.tail(30));
      List<String> errors = new ArrayList<>();
      for (String line : restarted.readLog()) {
        if (line.startsWith("error:")) {
          errors.add(line);
        }
      }
      assertEquals(1, errors.size(), restarted.tail(30));
      assertTrue(errors.get(0).contains("were deleted by the topic's retention"), errors.get(0));
    } finally {
      restarted.close();
    }
  }

  @Test
  void aPasswordFromTheSettingsFileIsInNoCheckpointFile() throws Exception {
    RANKINGS.clear();
    Path config =
        Files.write(
            dir.resolve("planted.properties"),
            Collections.singletonList(
                "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                    + " required username=\"u\" password=\"planted-s3cret\";"),
            StandardCharsets.UTF_8);
    produce("planted", Collections.singletonMap("a", 6));
    Path checkpoint = dir.resolve("ckpt-planted");
    // PLAINTEXT: the JAAS configuration is carried but not used, as by a job whose broker needs
    // none.
    JavaStreamingContext jssc =
        getOrCreate(
            settings(
                "planted",
                "planted-group",
                checkpoint.toString(),
                "--config",
                config.toString(),
                "--sink.kafka.topic",
                "trends"));
    jssc.start();
    try {
      assertEquals(6, awaitTotal(6).total);
    } finally {
      stopGracefully(jssc);
    }
    List<Path> files = new ArrayList<>();
    try (java.util.stream.Stream<Path> walk = Files.walk(checkpoint)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    assertTrue(files.size() > 1, "checkpoint files were written: " + files);
    byte[] planted = "planted-s3cret".getBytes(StandardCharsets.UTF_8);
    int metadata = 0;
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      if (f.getFileName().toString().startsWith("checkpoint-")) {
        // The graph's metadata, as Spark writes it: compressed with its default codec.
        metadata++;
        try (java.io.InputStream in =
            new org.apache.spark.io.LZ4CompressionCodec(new SparkConf())
                .compressedInputStream(new java.io.ByteArrayInputStream(content))) {
          java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
          byte[] buffer = new byte[8192];
          for (int n; (n = in.read(buffer)) > 0; ) {
            plain.write(buffer, 0, n);
          }
          content = plain.toByteArray();
        }
        assertFalse(contains(content, planted), "the password is in " + f);
        assertTrue(
            contains(content, "FileJaasLoginModule".getBytes(StandardCharsets.UTF_8)),
            "the graph's Kafka parameters are in " + f + ", with the reference in them");
      }
      assertFalse(contains(content, planted), "the password is in " + f);
    }
    assertTrue(metadata > 0, "metadata checkpoints were read: " + files);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
