package io.trendline.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.common.KeywordList;
import io.trendline.common.Printable;
import io.trendline.common.config.Config;
import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigDef.Type;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.config.Durations;
import io.trendline.process.JavaProcess;
import io.trendline.process.ThrowawayCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The whole pipeline on one machine: a real Kafka broker, the stream server generating (or
 * replaying) statuses, the producer jar pointed at it with throwaway credentials, and the consumer
 * jar in Spark local mode; shows the consumer's ranking every second with a status line, until
 * Ctrl-C or {@code --duration}; then stops everything in order (producer, stream server, consumer
 * once it has counted all that was sent, broker) and says where the logs are. Each component logs
 * to its own file under {@code run/<id>/}.
 */
public final class Demo {
  static final String ENV_PREFIX = "TRENDLINE_DEMO_";
  static final String RANKINGS_TOPIC = "trends";

  static final ConfigDef DEF =
      new ConfigDef()
          .define(
              "keywords",
              Type.STRING,
              "bitcoin,blockchain,IoT,5G",
              v -> KeywordList.parse((String) v),
              "Track terms, comma-separated.")
          .define(
              "api",
              Type.STRING,
              "v1",
              ConfigDef.oneOf("v1", "v2"),
              "The stream's API between the stream server and the producer: v1 (statuses/filter)"
                  + " or v2 (the X API v2 filtered stream, with rules and a bearer token).")
          .define(
              "rate",
              Type.INT,
              "50",
              ConfigDef.between(1, 100_000),
              "Statuses per second the stream server emits.")
          .define(
              "replay",
              Type.STRING,
              "",
              "A JSON-lines capture to replay (looping) instead of generated statuses.")
          .define(
              "duration",
              Type.DURATION,
              "0s",
              "Stop by itself after this long (0s: run until Ctrl-C).")
          .define(
              "bootstrap.servers",
              Type.STRING,
              "",
              "An external Kafka cluster (host:port,...) instead of the embedded broker; its"
                  + " topics must exist or automatic creation be allowed.")
          .define("topic", Type.STRING, "tweets", ConfigDef.nonEmpty(), "The statuses topic.")
          .define(
              "partitions",
              Type.INT,
              "3",
              ConfigDef.between(1, 64),
              "Partitions of the statuses topic on the embedded broker.")
          .define("window", Type.DURATION, "300s", "The ranking's window.")
          .define(
              "totals",
              Type.BOOLEAN,
              "true",
              "Show each keyword's all-time total (since the job started) under the window.")
          .define("top", Type.INT, "10", ConfigDef.between(1, 100), "Rows of the ranking.")
          .define(
              "dashboard",
              Type.BOOLEAN,
              "true",
              "Also serve the live dashboard page (trendline-dashboard) on loopback.")
          .define(
              "dashboard.port",
              Type.INT,
              "8050",
              ConfigDef.between(0, 65535),
              "The dashboard's port (0: any free one).")
          .define("home", Type.STRING, ".", "The project checkout (where the jars were built).")
          .define(
              "seed",
              Type.LONG,
              "42",
              "Seed of the generated stream (the same seed gives the same statuses).");

  private final Config config;
  private final Layout layout;
  private final PrintStream out;
  private final String runId;
  private final Path runDir;
  private final ProducerStatus producerStatus;
  private final List<JavaProcess> children = new ArrayList<>();
  private KafkaBrokerProcess broker;
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private String dashboardUrl;
  private JavaProcess dashboard;

  Demo(Config config, PrintStream out) {
    this.config = config;
    this.layout = new Layout(Paths.get(config.getString("home")));
    this.out = out;
    SimpleDateFormat f = new SimpleDateFormat("yyyyMMdd-HHmmss", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    this.runId = f.format(new Date()) + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    this.runDir = layout.home.resolve("run").resolve(runId);
    this.producerStatus =
        new ProducerStatus(runDir.resolve("producer-status.jsonl").toAbsolutePath());
  }

  public static void main(String[] args) {
    if (ConfigLoader.wantsHelp(args)) {
      System.out.println("usage: scripts/demo.sh [--key value]...\n");
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
    Demo demo = new Demo(config, System.out);
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              demo.stopRequested.set(true);
              try {
                done.await(3, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int code;
    try {
      code = demo.run();
    } catch (RuntimeException e) {
      System.err.println("error: " + e.getMessage());
      code = 1;
    } finally {
      demo.stopAll();
      done.countDown();
    }
    if (!demo.stopRequested.get()) {
      Runtime.getRuntime().removeShutdownHook(hook);
      System.exit(code);
    }
  }

  int run() {
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + runDir, e);
    }
    String keywords = config.getString("keywords");
    String topic = config.getString("topic");
    out.println("Trendline local run " + runId + " (logs in " + runDir + ")");

    String bootstrap = config.getString("bootstrap.servers");
    if (bootstrap.isEmpty()) {
      step("Kafka broker");
      broker =
          KafkaBrokerProcess.builder(runDir.resolve("kafka"))
              .topic(topic, config.getInt("partitions"))
              .topic(RANKINGS_TOPIC, 1)
              .jvmOption("-Dtrendline.run=" + runId)
              .start();
      bootstrap = broker.bootstrapServers();
      done("on " + bootstrap);
    }

    step("stream server");
    List<String> serverArgs = new ArrayList<>();
    serverArgs.addAll(Arrays.asList("-jar", layout.streamServerJar().toString(), "--port", "0"));
    String replay = config.getString("replay");
    if (replay.isEmpty()) {
      serverArgs.addAll(
          Arrays.asList(
              "--generate", "--keywords", keywords, "--seed", config.getLong("seed") + ""));
    } else {
      serverArgs.addAll(
          Arrays.asList("--replay", Paths.get(replay).toAbsolutePath().toString(), "--loop"));
    }
    serverArgs.addAll(Arrays.asList("--rate", String.valueOf(config.getInt("rate"))));
    String api = config.getString("api");
    serverArgs.addAll(Arrays.asList("--api", api));
    JavaProcess server =
        start(
            "stream server",
            Arrays.asList("-Xmx256m"),
            serverArgs,
            ThrowawayCredentials.streamServerEnvironment(),
            "streamserver.log");
    String streamUrl = server.awaitLine(Pattern.compile("TRENDLINE-STREAM READY (\\S+)"), 60_000);
    done(
        "at "
            + streamUrl
            + (api.equals("v2") ? " (X API v2)" : "")
            + (replay.isEmpty() ? ", generating" : ", replaying " + replay));

    step("producer");
    JavaProcess producer =
        start(
            "producer",
            Arrays.asList("-Xmx256m"),
            Arrays.asList(
                "-jar",
                layout.producerJar().toString(),
                "--keywords",
                keywords,
                "--stream.api",
                api,
                "--stream.host",
                streamUrl,
                "--topic",
                topic,
                "--kafka.bootstrap.servers",
                bootstrap,
                "--report.interval",
                "1s",
                "--status.file",
                producerStatus.file.toString()),
            ThrowawayCredentials.producerEnvironment(),
            "producer.log");
    producer.await(producerStatus::started, "start", 60_000);
    done("java -jar " + layout.home.relativize(layout.producerJar()));

    step("consumer (Spark local[2])");
    List<String> jvm = new ArrayList<>(Arrays.asList("-Xmx1g", "-Dspark.driver.host=127.0.0.1"));
    jvm.addAll(SparkLocal.jvmOptions());
    JavaProcess consumer =
        start(
            "consumer",
            jvm,
            Arrays.asList(
                "-cp",
                layout.consumerClasspath(),
                "io.trendline.consumer.TrendsApp",
                "--spark.master",
                "local[2]",
                "--kafka.bootstrap.servers",
                bootstrap,
                "--topic",
                topic,
                "--kafka.auto.offset.reset",
                "earliest",
                "--checkpoint.dir",
                runDir.resolve("checkpoint").toUri().toString(),
                "--window",
                Durations.format(config.getDuration("window")),
                "--top",
                String.valueOf(config.getInt("top")),
                "--sink.kafka.topic",
                RANKINGS_TOPIC,
                "--totals",
                String.valueOf(config.getBoolean("totals"))),
            Collections.<String, String>emptyMap(),
            "consumer.log");
    done("spark local[2], window " + Durations.format(config.getDuration("window")));

    if (config.getBoolean("dashboard")) {
      step("dashboard");
      dashboard =
          start(
              "dashboard",
              Arrays.asList("-Xmx128m"),
              Arrays.asList(
                  "-jar",
                  layout.dashboardJar().toString(),
                  "--topic",
                  RANKINGS_TOPIC,
                  "--kafka.bootstrap.servers",
                  bootstrap,
                  "--http.port",
                  String.valueOf(config.getInt("dashboard.port"))),
              Collections.<String, String>emptyMap(),
              "dashboard.log");
      try {
        dashboardUrl = dashboard.awaitLine(Pattern.compile("Dashboard: (http://\\S+)"), 60_000);
        done("java -jar " + layout.home.relativize(layout.dashboardJar()));
        out.println("Dashboard: " + dashboardUrl);
      } catch (IllegalStateException e) {
        // The console ranking does not need it (a port taken, say): say why, and go on.
        done("not started: " + dashboard.tail(1).trim());
        out.println("(going on without it; --dashboard.port 0 takes any free port)");
        dashboard = null;
      }
    }

    return show(bootstrap, topic, producer, server, consumer);
  }

  /** Displays rankings until the duration ends or a stop is requested, then stops in order. */
  private int show(
      String bootstrap,
      String topic,
      JavaProcess producer,
      JavaProcess server,
      JavaProcess consumer) {
    Duration duration = config.getDuration("duration");
    long deadline = duration.isZero() ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    RankingReader rankings = new RankingReader(bootstrap, RANKINGS_TOPIC);
    try {
      JsonObject last = null;
      while (!stopRequested.get() && System.nanoTime() < deadline) {
        for (JavaProcess c : Arrays.asList(server, producer, consumer, dashboard)) {
          if (c != null && !c.isAlive()) {
            throw new IllegalStateException(
                "the " + c.name() + " stopped unexpectedly; " + c.tail(15));
          }
        }
        JsonObject ranking = rankings.poll(500);
        if (ranking != null) {
          last = ranking;
          render(ranking, rankings.recordsIn(topic));
        }
      }
      out.println();
      out.println("Stopping: producer first, so that the consumer can count everything it sent...");
      int producerExit = producer.stop(60_000);
      long acked = producerStatus.acked();
      server.stop(10_000);
      long deadlineCatchUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      long inTopic = rankings.recordsIn(topic);
      while (last == null || (total(last) < inTopic && System.nanoTime() < deadlineCatchUp)) {
        JsonObject r = rankings.poll(500);
        if (r != null) {
          last = r;
        }
        if (System.nanoTime() > deadlineCatchUp) {
          break;
        }
      }
      int consumerExit = consumer.stop(90_000);
      long counted = last == null ? 0 : total(last);
      out.println(
          String.format(
              Locale.ROOT,
              "Producer acknowledged %d records (exit %d); %d are in the topic; the last ranking"
                  + " counted %d in its window (consumer exit %d).",
              acked,
              producerExit,
              inTopic,
              counted,
              consumerExit));
      out.println(
          "DEMO-SUMMARY run="
              + runId
              + " acked="
              + acked
              + " in-topic="
              + inTopic
              + " counted="
              + counted
              + " keywords="
              + keywordsOf(last));
      return producerExit == 0 ? 0 : 1;
    } finally {
      rankings.close();
    }
  }

  private void render(JsonObject ranking, long recordsInTopic) {
    StringBuilder sb = new StringBuilder();
    if (System.console() != null) {
      sb.append("\033[H\033[2J");
    }
    sb.append(RankingText.table(ranking));
    sb.append(
        String.format(
            Locale.ROOT,
            "producer %s | records in Kafka %d | batch %s%n",
            producerStatus.rate(),
            recordsInTopic,
            RankingText.processing(ranking)));
    if (dashboardUrl != null) {
      sb.append("Dashboard: ").append(dashboardUrl).append(System.lineSeparator());
    }
    out.print(sb);
    out.flush();
  }

  static long total(JsonObject ranking) {
    JsonElement t = ranking.get("total");
    if (t != null && t.isJsonPrimitive()) {
      return t.getAsLong();
    }
    long sum = 0;
    for (JsonElement e : RankingText.rows(ranking)) {
      sum += e.getAsJsonObject().get("count").getAsLong();
    }
    return sum;
  }

  static String keywordsOf(JsonObject ranking) {
    if (ranking == null) {
      return "";
    }
    List<String> k = new ArrayList<>();
    for (JsonElement e : RankingText.rows(ranking)) {
      k.add(e.getAsJsonObject().get("keyword").getAsString());
    }
    return String.join(",", k);
  }

  private JavaProcess start(
      String name, List<String> jvm, List<String> args, Map<String, String> env, String log) {
    List<String> all = new ArrayList<>(jvm);
    // Marks every process of this run, so that a test can check that none outlives it.
    all.add("-Dtrendline.run=" + runId);
    all.addAll(args);
    JavaProcess c = JavaProcess.start(name, all, env, runDir.resolve(log));
    children.add(c);
    return c;
  }

  /** Stops whatever still runs, newest first, then the broker. Idempotent. */
  void stopAll() {
    for (int i = children.size() - 1; i >= 0; i--) {
      children.get(i).stop(30_000);
    }
    children.clear();
    if (broker != null) {
      broker.close();
      broker = null;
    }
    out.println("Stopped. Logs: " + runDir);
  }

  private void step(String what) {
    out.print("Starting " + what + "... ");
    out.flush();
  }

  private void done(String detail) {
    out.println(detail);
  }

  /**
   * The producer's figures, from the JSON lines it appends to its status file ({@code status.file})
   * every report interval and once at the end ({@code "final":true}). Reads only whole lines: a
   * last line without its newline is still being written and is read next time. Used from one
   * thread.
   */
  static final class ProducerStatus {
    final Path file;
    private long position;
    private JsonObject latest;
    private JsonObject last;

    ProducerStatus(Path file) {
      this.file = file;
    }

    /** The latest rate and acknowledged count, as "33.0 msg/s, 1651 acked", or "starting". */
    String rate() {
      read();
      if (latest == null) {
        return "starting";
      }
      return String.format(
          Locale.ROOT,
          "%.1f msg/s, %d acked",
          latest.get("inRate").getAsDouble(),
          latest.get("acked").getAsLong());
    }

    /** Whether the producer has written its first line: it checked Kafka and reads the stream. */
    boolean started() {
      read();
      return latest != null || last != null;
    }

    /** Records the producer acknowledged in all, from its final line; -1 without one. */
    long acked() {
      read();
      return last == null ? -1 : last.get("acked").getAsLong();
    }

    /** Records acknowledged by the newest line, final or not; -1 before the first line. */
    long latestAcked() {
      read();
      JsonObject newest = last != null ? last : latest;
      return newest == null ? -1 : newest.get("acked").getAsLong();
    }

    /** Reads the whole lines appended since the last call. */
    private void read() {
      byte[] added;
      try (SeekableByteChannel channel = Files.newByteChannel(file)) {
        if (channel.size() <= position) {
          return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - position));
        channel.position(position);
        while (buffer.hasRemaining() && channel.read(buffer) > 0) {
          // until the size seen above is read
        }
        added = Arrays.copyOf(buffer.array(), buffer.position());
      } catch (NoSuchFileException e) {
        return; // the producer has not started yet
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      int end = added.length;
      while (end > 0 && added[end - 1] != '\n') {
        end--;
      }
      position += end;
      for (String line : new String(added, 0, end, StandardCharsets.UTF_8).split("\n")) {
        if (line.isEmpty()) {
          continue;
        }
        JsonObject status = JsonParser.parseString(line).getAsJsonObject();
        if (status.get("final").getAsBoolean()) {
          last = status;
        } else {
          latest = status;
        }
      }
    }
  }

  /** Reads rankings (one JSON record per batch) from the consumer's Kafka sink. */
  static final class RankingReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;

    RankingReader(String bootstrap, String topic) {
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
    }

    /** The newest ranking that arrived within {@code timeoutMs}, or null. */
    JsonObject poll(long timeoutMs) {
      JsonObject newest = null;
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(timeoutMs))) {
        try {
          newest = JsonParser.parseString(r.value()).getAsJsonObject();
        } catch (RuntimeException e) {
          // not a ranking: skip it
        }
      }
      return newest;
    }

    /** Records in all partitions of {@code topic} (end offsets minus beginning offsets). */
    long recordsIn(String topic) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        tps.add(new TopicPartition(topic, info.partition()));
      }
      long n = 0;
      Map<TopicPartition, Long> end = consumer.endOffsets(tps);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
      for (TopicPartition tp : tps) {
        n += end.get(tp) - begin.get(tp);
      }
      return n;
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Formats a ranking record. */
  static final class RankingText {
    private RankingText() {}

    static JsonArray rows(JsonObject ranking) {
      JsonElement top = ranking.get("top");
      return top != null && top.isJsonArray() ? top.getAsJsonArray() : new JsonArray();
    }

    static String processing(JsonObject ranking) {
      JsonElement p = ranking.get("processingMs");
      return p == null || p.isJsonNull() || p.getAsLong() < 0 ? "-" : p.getAsLong() + " ms";
    }

    static String table(JsonObject ranking) {
      SimpleDateFormat f = new SimpleDateFormat("HH:mm:ss", Locale.ROOT);
      long batch = ranking.get("batchTime").getAsLong();
      long window = ranking.get("windowMs").getAsLong();
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "Trends at %s, last %s%n",
              f.format(new Date(batch)),
              Durations.format(Duration.ofMillis(window))));
      sb.append(String.format(Locale.ROOT, "  %-4s %-24s %8s%n", "#", "keyword", "count"));
      int rank = 1;
      for (JsonElement e : rows(ranking)) {
        JsonObject row = e.getAsJsonObject();
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-4d %-24s %8d%n",
                rank++,
                Printable.keyword(row.get("keyword").getAsString()),
                row.get("count").getAsLong()));
      }
      JsonElement totals = ranking.get("totals");
      if (totals != null && totals.isJsonObject()) {
        JsonObject t = totals.getAsJsonObject();
        JsonElement all = t.get("total");
        sb.append(
            String.format(
                Locale.ROOT,
                "All-time, since the job started (%s records)%n",
                all != null && all.isJsonPrimitive() ? all.getAsString() : "-"));
        rank = 1;
        JsonElement top = t.get("top");
        for (JsonElement e :
            top != null && top.isJsonArray() ? top.getAsJsonArray() : new JsonArray()) {
          JsonObject row = e.getAsJsonObject();
          sb.append(
              String.format(
                  Locale.ROOT,
                  "  %-4d %-24s %8d%n",
                  rank++,
                  Printable.keyword(row.get("keyword").getAsString()),
                  row.get("count").getAsLong()));
        }
      }
      return sb.toString();
    }
  }
}
