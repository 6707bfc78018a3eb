package io.trendline.local;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.Status;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigDef.Type;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.config.Durations;
import io.trendline.process.JavaProcess;
import io.trendline.process.ThrowawayCredentials;
import io.trendline.streamserver.ConnectionStats;
import io.trendline.streamserver.StreamServer;
import io.trendline.streamserver.StreamStats;
import io.trendline.streamserver.SyntheticSource;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The chaos run: the whole local pipeline (a real broker, the stream server, the producer jar, the
 * consumer in Spark local mode), with faults at seeded random moments: the broker killed (SIGKILL)
 * and restarted on the same port and data, the consumer's driver killed and restarted on the same
 * checkpoint, the producer stopped (SIGTERM) or killed and restarted, and stream faults (a stall, a
 * reset, a cut, HTTP 420, 429 and 503, a disconnect notice, a malformed message). Then it stops the
 * producer, lets the consumer count everything, and accounts for every status (see {@link
 * ChaosLedger}); it prints one {@code CHAOS-SUMMARY} line and exits 0 only when nothing was lost or
 * duplicated and the last ranking counted exactly what the topic holds.
 *
 * <p>The consumer's window is longer than the run, so its last ranking must count every record in
 * the topic. Every kind of fault selected happens at least once, whatever the duration; after that,
 * faults continue at random until the duration has passed.
 */
public final class Chaos {
  static final String ENV_PREFIX = "TRENDLINE_CHAOS_";
  static final String RANKINGS_TOPIC = "trends";
  static final String SUMMARY_PREFIX = "CHAOS-SUMMARY ";

  /** The producer reconnects a stream silent for this long; a stall fault lasts longer. */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(4);

  static final Duration STALL = Duration.ofSeconds(7);

  /** What can go wrong, by group of {@code --faults}. */
  enum Fault {
    BROKER_KILL("broker", "broker: kill -9, restart on the same port and data"),
    CONSUMER_KILL("consumer", "consumer: kill -9 the driver, restart on the same checkpoint"),
    PRODUCER_TERM("producer", "producer: SIGTERM, restart"),
    PRODUCER_KILL("producer", "producer: kill -9, restart"),
    STALL("stream", "stream: stall " + Durations.format(Chaos.STALL)),
    RESET("stream", "stream: TCP reset mid-status"),
    CUT("stream", "stream: cut mid-status (FIN)"),
    HTTP_420("stream", "stream: HTTP 420"),
    HTTP_429("stream", "stream: HTTP 429"),
    HTTP_503("stream", "stream: HTTP 503"),
    DISCONNECT("stream", "stream: disconnect notice"),
    MALFORMED("stream", "stream: malformed message");

    final String group;
    final String what;

    Fault(String group, String what) {
      this.group = group;
      this.what = what;
    }
  }

  static final List<String> GROUPS = Arrays.asList("broker", "consumer", "producer", "stream");

  static final ConfigDef DEF =
      new ConfigDef()
          .define(
              "duration",
              Type.DURATION,
              "10m",
              ConfigDef.atLeast(Duration.ofSeconds(10)),
              "How long faults go on (at least one of each kind selected happens, however short).")
          .define("seed", Type.LONG, "1", "Seed of the fault schedule and the generated stream.")
          .define(
              "faults",
              Type.LIST,
              String.join(",", GROUPS),
              v -> {
                @SuppressWarnings("unchecked")
                List<String> l = (List<String>) v;
                if (l.isEmpty()) {
                  throw new IllegalArgumentException("give at least one of " + GROUPS);
                }
                for (String g : l) {
                  if (!GROUPS.contains(g)) {
                    throw new IllegalArgumentException(
                        "unknown fault group '" + g + "'; expected some of " + GROUPS);
                  }
                }
              },
              "Which parts fail: broker, consumer, producer, stream (comma-separated).")
          .define(
              "interval",
              Type.DURATION,
              "15s",
              ConfigDef.atLeast(Duration.ofMillis(100)),
              "Mean time between faults (each gap is random, 0.5 to 1.5 times this).")
          .define(
              "keywords",
              Type.STRING,
              "bitcoin,blockchain,IoT,5G",
              v -> KeywordList.parse((String) v),
              "Track terms, comma-separated.")
          .define(
              "rate",
              Type.INT,
              "50",
              ConfigDef.between(1, 5_000),
              "Statuses per second the stream server emits.")
          .define(
              "partitions",
              Type.INT,
              "3",
              ConfigDef.between(1, 64),
              "Partitions of the statuses topic.")
          .define("home", Type.STRING, ".", "The project checkout (where the jars were built).");

  private final Config config;
  private final Layout layout;
  private final PrintStream out;
  private final String runId;
  private final Path runDir;
  private final KeywordList keywords;
  private final TrackMatcher matcher;
  private final Random random;
  private final ChaosLedger ledger = new ChaosLedger();
  private final Map<Fault, Integer> fired = new EnumMap<>(Fault.class);
  private final long startNanos = System.nanoTime();

  private KafkaBrokerProcess broker;
  private StreamServer server;
  private PrintStream serverLog;
  private RankingWatch rankings;
  private JavaProcess producer;
  private Demo.ProducerStatus producerStatus;
  private int producers;
  private long acked;
  private boolean ackedIsLowerBound;
  private JavaProcess consumer;
  private int consumers;
  private long consumerStartedNanos;
  private long consumerKilledNanos;
  private boolean consumerRecovering;

  Chaos(Config config, PrintStream out) {
    this.config = config;
    this.layout = new Layout(Paths.get(config.getString("home")));
    this.out = out;
    SimpleDateFormat f = new SimpleDateFormat("yyyyMMdd-HHmmss", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    this.runId =
        "chaos-" + f.format(new Date()) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    this.runDir = layout.home.resolve("run").resolve(runId);
    this.keywords = KeywordList.parse(config.getString("keywords"));
    this.matcher = new TrackMatcher(keywords);
    this.random = new Random(config.getLong("seed"));
  }

  public static void main(String[] args) {
    if (ConfigLoader.wantsHelp(args)) {
      System.out.println("usage: scripts/chaos.sh [--key value]...\n");
      System.out.print(DEF.help(ENV_PREFIX));
      return;
    }
    Config config;
    try {
      config = new ConfigLoader(DEF, ENV_PREFIX).load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Chaos chaos = new Chaos(config, System.out);
    Result result;
    try {
      result = chaos.run();
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      chaos.stopAll();
      System.exit(1);
      return;
    }
    System.exit(result.verdict.clean() ? 0 : 1);
  }

  /** What a run found. */
  static final class Result {
    final ChaosLedger.Verdict verdict;
    final Map<Fault, Integer> fired;
    final String summary;

    Result(ChaosLedger.Verdict verdict, Map<Fault, Integer> fired, String summary) {
      this.verdict = verdict;
      this.fired = fired;
      this.summary = summary;
    }
  }

  /**
   * Runs it all and stops everything, also on failure.
   *
   * @throws IllegalStateException when a part fails on its own (with the tail of its log)
   */
  Result run() {
    try {
      return runChaos();
    } finally {
      stopAll();
    }
  }

  private Result runChaos() {
    try {
      Files.createDirectories(runDir);
      serverLog =
          new PrintStream(
              new FileOutputStream(runDir.resolve("streamserver.log").toFile()),
              true,
              StandardCharsets.UTF_8.name());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + runDir + ": " + e.getMessage(), e);
    }
    String topic = "tweets";
    out.printf(
        Locale.ROOT,
        "Trendline chaos run %s: seed %d, %s of faults (%s) every %s or so; logs in %s%n",
        runId,
        config.getLong("seed"),
        Durations.format(config.getDuration("duration")),
        String.join(",", config.getList("faults")),
        Durations.format(config.getDuration("interval")),
        runDir);

    broker =
        KafkaBrokerProcess.builder(runDir.resolve("kafka"))
            .topic(topic, config.getInt("partitions"))
            .topic(RANKINGS_TOPIC, 1)
            .jvmOption("-Dtrendline.run=" + runId)
            .start();
    log("broker up on " + broker.bootstrapServers());
    try {
      server =
          StreamServer.builder()
              .source(SyntheticSource.builder(keywords).seed(config.getLong("seed")).build())
              .rate(config.getInt("rate"))
              .keepAlive(Duration.ofSeconds(1))
              .onDelivered(this::delivered)
              .log(line -> serverLog.println(stamp() + " " + line))
              .build()
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the stream server: " + e.getMessage(), e);
    }
    log("stream server at " + server.url());
    rankings = new RankingWatch(broker.bootstrapServers());
    startProducer();
    startConsumer();
    awaitRecovery(consumerStartedNanos, "the consumer's first ranking");
    log("pipeline running; faults begin");

    chaos();

    log("faults over; stopping the producer (SIGTERM) so that the consumer can count everything");
    endProducer(ChaosLedger.End.FINAL);
    long inTopic = readTopic(topic);
    log(inTopic + " records in the topic; waiting for a ranking that counts them all");
    JsonObject last = awaitRanking(inTopic);
    ledger.ranking(counts(last));
    int consumerExit = consumer.stop(90_000);
    log("consumer stopped (exit " + consumerExit + ")");
    server.close();
    for (ConnectionStats s : server.stats().streams()) {
      if (!s.open()) {
        ledger.streamEnded(s.stream(), s.endReason());
      }
    }
    ChaosLedger.Verdict v = ledger.verdict();
    String summary = summary(v);
    report(v);
    out.println(summary);
    return new Result(v, new EnumMap<>(fired), summary);
  }

  /** The fault loop: one of each kind selected (shuffled), then random ones until the end. */
  private void chaos() {
    List<Fault> kinds = new ArrayList<>();
    for (Fault f : Fault.values()) {
      if (config.getList("faults").contains(f.group)) {
        kinds.add(f);
      }
    }
    List<Fault> first = new ArrayList<>(kinds);
    Collections.shuffle(first, random);
    List<String> groups = new ArrayList<>(config.getList("faults"));
    long interval = config.getDuration("interval").toNanos();
    long deadline = System.nanoTime() + config.getDuration("duration").toNanos();
    for (int i = 0; ; i++) {
      Fault f;
      if (i < first.size()) {
        f = first.get(i);
      } else {
        // A group at random, then a kind within it: the stream's many kinds do not crowd out
        // the processes.
        String g = groups.get(random.nextInt(groups.size()));
        List<Fault> in = new ArrayList<>();
        for (Fault k : kinds) {
          if (k.group.equals(g)) {
            in.add(k);
          }
        }
        f = in.get(random.nextInt(in.size()));
      }
      long gap = (long) (interval * (0.5 + random.nextDouble()));
      if (i >= first.size() && System.nanoTime() + gap > deadline) {
        return;
      }
      pause(gap);
      inject(f);
      fired.merge(f, 1, Integer::sum);
    }
  }

  private void inject(Fault f) {
    long t0 = System.nanoTime();
    StreamStats before = server.stats();
    switch (f) {
      case BROKER_KILL:
        broker.kill();
        broker.restart();
        break;
      case CONSUMER_KILL:
        // A driver killed before it recovered from the last kill is another test; not this one.
        awaitRecovery(consumerStartedNanos, "the consumer's recovery");
        ensureAlive();
        consumer.kill(30_000);
        consumerKilledNanos = System.nanoTime();
        startConsumer();
        consumerRecovering = true;
        log(f.what + " (it recovers while the faults go on)");
        return;
      case PRODUCER_TERM:
        endProducer(ChaosLedger.End.TERM);
        startProducer();
        break;
      case PRODUCER_KILL:
        endProducer(ChaosLedger.End.KILL);
        startProducer();
        break;
      case STALL:
        streamFault("stall:0:" + Durations.format(STALL), before, true);
        break;
      case RESET:
        streamFault("reset:0", before, true);
        break;
      case CUT:
        streamFault("cut:0", before, true);
        break;
      case HTTP_420:
        streamFault("disconnect:0:1,http:420", before, true);
        break;
      case HTTP_429:
        streamFault("disconnect:0:1,http:429", before, true);
        break;
      case HTTP_503:
        streamFault("disconnect:0:1,http:503", before, true);
        break;
      case DISCONNECT:
        int[] codes = {1, 4, 5, 10, 11, 12};
        streamFault("disconnect:0:" + codes[random.nextInt(codes.length)], before, true);
        break;
      case MALFORMED:
        streamFault("malformed:0:" + (random.nextBoolean() ? "json" : "text"), before, false);
        break;
      default:
        throw new AssertionError(f);
    }
    log(f.what + " (" + ms(System.nanoTime() - t0) + " ms to recover)");
  }

  /**
   * Injects a stream fault and waits until it fired and, when it ends the stream, the producer is
   * streaming again. An HTTP fault is preceded by a disconnect, so that the answer meets the
   * producer's reconnection.
   */
  private void streamFault(String spec, StreamStats before, boolean endsStream) {
    server.inject(spec);
    long firedBefore = before.faultsFired();
    int count = spec.split(",").length;
    await(() -> server.stats().faultsFired() >= firedBefore + count, "the fault " + spec, 120_000);
    if (endsStream) {
      long opened = before.streamsOpened();
      await(
          () -> {
            StreamStats s = server.stats();
            return s.streamsOpened() > opened && s.streamsActive() > 0;
          },
          "the producer's reconnection after " + spec,
          120_000);
    }
  }

  private void startProducer() {
    producers++;
    Path status = runDir.resolve("producer-" + producers + "-status.jsonl").toAbsolutePath();
    producerStatus = new Demo.ProducerStatus(status);
    producer =
        JavaProcess.start(
            "producer " + producers,
            Arrays.asList(
                "-Xmx256m",
                "-Dtrendline.run=" + runId,
                "-jar",
                layout.producerJar().toString(),
                "--keywords",
                keywords.toString(),
                "--stream.host",
                server.url(),
                "--topic",
                "tweets",
                "--kafka.bootstrap.servers",
                broker.bootstrapServers(),
                "--stream.stall.timeout",
                Durations.format(STALL_TIMEOUT),
                "--report.interval",
                "1s",
                "--status.file",
                status.toString()),
            ThrowawayCredentials.producerEnvironment(),
            runDir.resolve("producer-" + producers + ".log"));
    producer.await(producerStatus::started, "the producer's start", 60_000);
    long opened = server.stats().streamsOpened();
    await(
        () -> {
          StreamStats s = server.stats();
          return s.streamsOpened() > opened || s.streamsActive() > 0;
        },
        "the producer's stream",
        60_000);
  }

  /** Ends the running producer the given way and books its figures. */
  private void endProducer(ChaosLedger.End end) {
    ensureAlive();
    if (end == ChaosLedger.End.KILL) {
      producer.kill(30_000);
      long a = producerStatus.latestAcked();
      acked += Math.max(0, a);
      ackedIsLowerBound = true;
    } else {
      int exit = producer.stop(120_000);
      if (exit != 0) {
        throw new IllegalStateException(
            "the producer exited " + exit + " on SIGTERM; " + producer.tail(20));
      }
      long a = producerStatus.acked();
      if (a < 0) {
        throw new IllegalStateException("the producer wrote no final status line: " + producer);
      }
      acked += a;
    }
    ledger.producerEnded(server.stats().streamsOpened(), end, System.nanoTime());
    producer = null;
  }

  private void startConsumer() {
    consumers++;
    Duration window = consumerWindow(config.getDuration("duration"));
    List<String> args = new ArrayList<>(Arrays.asList("-Xmx1g", "-Dspark.driver.host=127.0.0.1"));
    args.addAll(SparkLocal.jvmOptions());
    args.add("-Dtrendline.run=" + runId);
    args.addAll(
        Arrays.asList(
            "-cp",
            layout.consumerClasspath(),
            "io.trendline.consumer.TrendsApp",
            "--spark.master",
            "local[2]",
            "--kafka.bootstrap.servers",
            broker.bootstrapServers(),
            "--topic",
            "tweets",
            "--kafka.auto.offset.reset",
            "earliest",
            "--checkpoint.dir",
            runDir.resolve("checkpoint").toUri().toString(),
            "--window",
            Durations.format(window),
            "--top",
            String.valueOf(Math.max(keywords.size(), 1)),
            "--sink.kafka.topic",
            RANKINGS_TOPIC));
    consumer =
        JavaProcess.start(
            "consumer " + consumers,
            args,
            Collections.<String, String>emptyMap(),
            runDir.resolve("consumer-" + consumers + ".log"));
    consumerStartedNanos = System.nanoTime();
  }

  /** Longer than anything the run can last, so that the last ranking counts every record. */
  static Duration consumerWindow(Duration chaos) {
    return Duration.ofMinutes(chaos.toMinutes() * 2 + 30);
  }

  /** Waits for a ranking that arrived after {@code sinceNanos}. */
  private void awaitRecovery(long sinceNanos, String what) {
    await(() -> rankings.arrivedAfter(sinceNanos), what, 240_000);
  }

  /** Waits for a ranking whose total is {@code inTopic}: the consumer has counted everything. */
  private JsonObject awaitRanking(long inTopic) {
    await(
        () -> rankings.latest() != null && Demo.total(rankings.latest()) >= inTopic,
        "a ranking counting all "
            + inTopic
            + " records (latest: "
            + (rankings.latest() == null ? "none" : Demo.total(rankings.latest()))
            + ")",
        240_000);
    return rankings.latest();
  }

  private static Map<String, Long> counts(JsonObject ranking) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (JsonElement e : Demo.RankingText.rows(ranking)) {
      JsonObject row = e.getAsJsonObject();
      m.put(row.get("keyword").getAsString(), row.get("count").getAsLong());
    }
    return m;
  }

  /** Reads the whole statuses topic into the ledger; returns how many records it holds. */
  private long readTopic(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 << 20));
    long n = 0;
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : c.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!reached(c, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read the topic to its end " + end);
        }
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          n++;
          String id = null;
          StreamMessage m = StreamMessage.parse(r.value());
          if (m.isStatus()) {
            id = m.status().id();
          }
          ledger.inTopic(r.key(), id);
        }
      }
    }
    return n;
  }

  private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The stream server's delivery hook: books each status with the keywords it matches. */
  private void delivered(long stream, Status status) {
    List<String> keys = new ArrayList<>();
    for (Keyword k : matcher.match(status)) {
      keys.add(k.term());
    }
    long now = System.nanoTime();
    synchronized (ledger) {
      ledger.delivered(stream, status.id(), now, keys);
    }
  }

  /** Lets time pass until the next fault, reading rankings and watching every part. */
  private void pause(long nanos) {
    long until = System.nanoTime() + nanos;
    while (true) {
      ensureAlive();
      long left = until - System.nanoTime();
      if (left <= 0) {
        return;
      }
      rankings.poll(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 250));
    }
  }

  /**
   * Waits for {@code condition}, reading rankings meanwhile; fails if a part dies or on timeout.
   */
  private void await(BooleanSupplier condition, String what, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      ensureAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      rankings.poll(100);
    }
  }

  private void ensureAlive() {
    if (consumerRecovering && rankings.arrivedAfter(consumerStartedNanos)) {
      consumerRecovering = false;
      log(
          "consumer recovered: a ranking "
              + ms(System.nanoTime() - consumerKilledNanos)
              + " ms after the kill");
    }
    for (JavaProcess p : Arrays.asList(producer, consumer)) {
      if (p != null && !p.isAlive()) {
        throw new IllegalStateException(
            "the " + p.name() + " stopped on its own (exit " + p.exitValue() + "); " + p.tail(30));
      }
    }
  }

  private String summary(ChaosLedger.Verdict v) {
    int producerKills =
        fired.getOrDefault(Fault.PRODUCER_TERM, 0) + fired.getOrDefault(Fault.PRODUCER_KILL, 0);
    int stream = 0;
    int total = 0;
    for (Map.Entry<Fault, Integer> e : fired.entrySet()) {
      total += e.getValue();
      if (e.getKey().group.equals("stream")) {
        stream += e.getValue();
      }
    }
    return SUMMARY_PREFIX
        + "duration="
        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos)
        + "s faults="
        + total
        + " broker_kills="
        + fired.getOrDefault(Fault.BROKER_KILL, 0)
        + " consumer_kills="
        + fired.getOrDefault(Fault.CONSUMER_KILL, 0)
        + " producer_kills="
        + producerKills
        + " stream_faults="
        + stream
        + " delivered="
        + v.delivered
        + " acked="
        + acked
        + (ackedIsLowerBound ? "+" : "")
        + " in_topic="
        + v.inTopic
        + " duplicates="
        + v.duplicates
        + " dropped_in_crash="
        + v.droppedInCrash
        + " unread_at_close="
        + v.unreadAtClose
        + " expected="
        + v.expected
        + " counted="
        + v.counted
        + " lost="
        + v.lost
        + " foreign="
        + v.foreign
        + " seed="
        + config.getLong("seed");
  }

  private void report(ChaosLedger.Verdict v) {
    Map<String, Integer> byKind = new LinkedHashMap<>();
    for (Map.Entry<Fault, Integer> e : fired.entrySet()) {
      byKind.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
    }
    out.println("Faults: " + byKind);
    out.printf(
        Locale.ROOT,
        "Delivered %d statuses (%d records expected); the topic holds %d.%n",
        v.delivered,
        v.expectedRecords,
        v.inTopic);
    out.printf(
        Locale.ROOT,
        "Dropped by killed producers: %d statuses (the oldest %d ms before its kill);"
            + " unread at a reset or hang-up: %d; lost otherwise: %d.%n",
        v.droppedInCrash,
        v.crashWindowMs,
        v.unreadAtClose,
        v.lost);
    for (String s : v.lostExamples) {
      out.println("  lost: " + s);
    }
    if (v.deliveredTwice > 0) {
      out.println("The stream server delivered " + v.deliveredTwice + " statuses twice.");
    }
    if (!v.countMismatches.isEmpty()) {
      out.println("The last ranking does not match the topic: " + v.countMismatches);
    }
    out.println(v.clean() ? "Result: nothing lost, nothing twice." : "Result: FAILED.");
  }

  private void log(String line) {
    out.println(stamp() + " " + line);
    out.flush();
  }

  private String stamp() {
    return String.format(
        Locale.ROOT, "[%7.1fs]", (System.nanoTime() - startNanos) / 1_000_000_000.0);
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Stops whatever still runs. Idempotent. */
  void stopAll() {
    if (producer != null && producer.isAlive()) {
      producer.stop(30_000);
    }
    if (consumer != null && consumer.isAlive()) {
      consumer.stop(60_000);
    }
    if (rankings != null) {
      rankings.close();
      rankings = null;
    }
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
      broker = null;
    }
    if (serverLog != null) {
      serverLog.close();
    }
  }

  /** The newest ranking and when it arrived. Used from one thread. */
  private static final class RankingWatch implements AutoCloseable {
    private final Demo.RankingReader reader;
    private JsonObject latest;
    private long arrivedNanos;

    RankingWatch(String bootstrap) {
      this.reader = new Demo.RankingReader(bootstrap, RANKINGS_TOPIC);
    }

    void poll(long timeoutMs) {
      JsonObject r = reader.poll(timeoutMs);
      if (r != null) {
        latest = r;
        arrivedNanos = System.nanoTime();
      }
    }

    JsonObject latest() {
      return latest;
    }

    boolean arrivedAfter(long nanos) {
      return latest != null && arrivedNanos - nanos > 0;
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
