package io.trendline.bench;

import io.trendline.process.JavaProcess;
import io.trendline.process.ThrowawayCredentials;
import io.trendline.producer.SendFloor;
import io.trendline.streamserver.MessageSource;
import io.trendline.streamserver.StreamServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Producer throughput: statuses from the stream server, unthrottled, through the real producer jar
 * (Hosebird, parsing, track matching, acknowledged sends), against a bare {@code KafkaProducer}
 * sending the same records (the ceiling), the floor ({@link SendFloor}: the producer's stream
 * reading and sending with the keys known, no parsing or matching) and the naive producer
 * (substring search, INFO log). Each runs in its own JVM with the same heap; the rate is read off
 * the topic's end offsets, from 10 % to 90 % of the expected records, so start-up and the last
 * batches do not count.
 */
final class ProducerBench {
  static final String TOPIC_BARE = "bench-bare";
  static final String TOPIC_PRODUCER = "bench-producer";
  static final String TOPIC_NAIVE = "bench-naive";
  static final String TOPIC_FLOOR = "bench-floor";
  private static final List<String> HEAP = Collections.singletonList("-Xmx512m");
  private static final int PASSES = 3;

  private ProducerBench() {}

  static Map<String, Object> run(Bench.Context ctx) throws Exception {
    int n = ctx.smoke ? 3_000 : Integer.getInteger("trendline.bench.producer.statuses", 60_000);
    Corpus corpus = Corpus.generate(Bench.KEYWORDS, n, 42, true);
    long records = corpus.records();
    long naiveRecords = NaiveProducer.records(corpus, Bench.KEYWORDS);
    ctx.progress(
        "%d statuses of %.1f KB on average, %d records (%d the naive way)",
        n, corpus.averageBytes() / 1024, records, naiveRecords);

    Path prepared = ctx.out.resolve("bare-records.tsv");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < corpus.statuses.size(); i++) {
      for (String k : corpus.keywords.get(i)) {
        lines.add(k + "\t" + corpus.statuses.get(i));
      }
    }
    Files.write(prepared, lines, StandardCharsets.UTF_8);
    lines.clear();
    Path keys = ctx.out.resolve("floor-keys.tsv");
    for (List<String> k : corpus.keywords) {
      lines.add(String.join("\t", k));
    }
    Files.write(keys, lines, StandardCharsets.UTF_8);
    lines.clear();
    String cp = classpathWithoutSpark();

    // The corpus is served, and the bare records sent, several times over: the first pass warms
    // the JVMs up (the producer has far more code to compile than the bare one), the rest count.
    int passes = ctx.smoke ? 1 : Integer.getInteger("trendline.bench.producer.passes", PASSES);
    List<String> served = new ArrayList<>();
    for (int i = 0; i < passes; i++) {
      served.addAll(corpus.statuses);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("statuses", n);
    out.put("passes", passes);
    out.put("averageStatusBytes", Math.round(corpus.averageBytes()));
    out.put("records", records);

    Map<String, Object> bare =
        measure(
            ctx,
            "bare KafkaProducer",
            TOPIC_BARE,
            n * passes,
            records * passes,
            passes,
            null,
            url ->
                jvm(
                    ctx,
                    "bare",
                    new HashMap<>(),
                    "-cp",
                    cp,
                    BareProducer.class.getName(),
                    ctx.broker.bootstrapServers(),
                    TOPIC_BARE,
                    prepared.toString(),
                    String.valueOf(passes)));
    Files.delete(prepared);
    Map<String, Object> producer =
        measure(
            ctx,
            "trendline producer",
            TOPIC_PRODUCER,
            n * passes,
            records * passes,
            passes,
            served,
            url ->
                jvm(
                    ctx,
                    "producer",
                    ThrowawayCredentials.producerEnvironment(),
                    args(
                        Arrays.asList("-jar", ctx.producerJar().toString()),
                        producerSettings(ctx, url, TOPIC_PRODUCER),
                        Arrays.asList("--report.interval", "60s"))));
    Map<String, Object> floor =
        measure(
            ctx,
            "floor (no parse/match)",
            TOPIC_FLOOR,
            n * passes,
            records * passes,
            passes,
            served,
            url ->
                jvm(
                    ctx,
                    "floor",
                    ThrowawayCredentials.producerEnvironment(),
                    args(
                        Arrays.asList(
                            "-cp",
                            cp,
                            SendFloor.class.getName(),
                            keys.toString(),
                            String.valueOf((long) n * passes)),
                        producerSettings(ctx, url, TOPIC_FLOOR))));
    Files.delete(keys);
    Map<String, Object> naive =
        measure(
            ctx,
            "naive producer",
            TOPIC_NAIVE,
            n * passes,
            naiveRecords * passes,
            passes,
            served,
            url ->
                jvm(
                    ctx,
                    "naive",
                    new HashMap<>(),
                    "-cp",
                    cp,
                    NaiveProducer.class.getName(),
                    ctx.broker.bootstrapServers(),
                    TOPIC_NAIVE,
                    url,
                    Bench.KEYWORDS));
    Map<String, Object> source = source(ctx, corpus);
    double ceiling = (double) bare.get("statusesPerSecond");
    source.put("ratioToBare", Stats.ratio((double) source.get("statusesPerSecond"), ceiling));
    producer.put("ratioToBare", Stats.ratio((double) producer.get("statusesPerSecond"), ceiling));
    producer.put("cpuRatioToBare", cpuRatio(bare, producer));
    naive.put("cpuRatioToBare", cpuRatio(bare, naive));
    floor.put("cpuRatioToBare", cpuRatio(bare, floor));
    for (Map<String, Object> v : Arrays.asList(producer, floor, naive)) {
      v.put("cpuRatioToBareWithoutJit", cpuRatioWithoutJit(bare, v));
    }
    floor.put("ratioToBare", Stats.ratio((double) floor.get("statusesPerSecond"), ceiling));
    naive.put("ratioToBare", Stats.ratio((double) naive.get("statusesPerSecond"), ceiling));
    bare.put("ratioToBare", 1.0);
    out.put("bare", bare);
    out.put("producer", producer);
    out.put("floor", floor);
    out.put("naive", naive);
    out.put("source", source);
    out.put("target", "producer >= 0.85 x bare by CPU per status (issue 15)");
    return out;
  }

  /**
   * A variant's JVM: the same heap for all, JFR with --profile, the options in the property {@code
   * trendline.bench.producer.jvm} (separated by spaces; for every variant), output to NAME.log.
   */
  private static JavaProcess jvm(
      Bench.Context ctx, String name, Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(HEAP);
    all.addAll(ctx.profiling(name));
    String extra = System.getProperty("trendline.bench.producer.jvm", "").trim();
    if (!extra.isEmpty()) {
      all.addAll(Arrays.asList(extra.split("\\s+")));
    }
    all.addAll(Arrays.asList(args));
    return JavaProcess.start(name, all, env, ctx.out.resolve(name + ".log"));
  }

  /**
   * The producer's settings for the stream at {@code url}: the trendline producer's and the
   * floor's.
   */
  private static List<String> producerSettings(Bench.Context ctx, String url, String topic) {
    return Arrays.asList(
        "--keywords",
        Bench.KEYWORDS,
        "--stream.host",
        url,
        "--topic",
        topic,
        "--kafka.bootstrap.servers",
        ctx.broker.bootstrapServers());
  }

  @SafeVarargs
  private static String[] args(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> p : parts) {
      all.addAll(p);
    }
    return all.toArray(new String[0]);
  }

  interface Launcher {
    JavaProcess start(String streamUrl) throws Exception;
  }

  /**
   * Starts one variant (with a stream server of the corpus if it needs one) and times its records
   * arriving in the topic.
   */
  private static Map<String, Object> measure(
      Bench.Context ctx,
      String name,
      String topic,
      int statuses,
      long expected,
      int passes,
      List<String> stream,
      Launcher launcher)
      throws Exception {
    StreamServer server = null;
    if (stream != null) {
      server = StreamServer.builder().source(MessageSource.of(stream)).rate(0).build().start();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    // From the end of the first pass when there are several, else from 10 %; up to 90 %.
    long measuredFrom = passes > 1 ? passes : 10;
    try (KafkaConsumer<String, String> offsets =
            new KafkaConsumer<>(KafkaSettings.consumer(ctx.broker.bootstrapServers()));
        JavaProcess child = launcher.start(server == null ? "" : server.url())) {
      List<TopicPartition> partitions = new ArrayList<>();
      offsets
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      long t10 = -1;
      long t90 = -1;
      long at10 = 0;
      long at90 = 0;
      Cpu.Snapshot cpu10 = null;
      Cpu.Snapshot cpu90 = null;
      long last = -1;
      long lastChange = System.nanoTime();
      double maxRss = 0;
      long nextRss = 0;
      while (true) {
        long total = 0;
        for (long o : offsets.endOffsets(partitions).values()) {
          total += o;
        }
        long now = System.nanoTime();
        if (t10 < 0 && total >= expected / measuredFrom) {
          t10 = now;
          at10 = total;
          cpu10 = new Cpu.Snapshot(child);
        }
        if (t90 < 0 && total >= expected * 9 / 10) {
          t90 = now;
          at90 = total;
          cpu90 = new Cpu.Snapshot(child);
        }
        if (total != last) {
          last = total;
          lastChange = now;
        }
        if (now > nextRss) {
          maxRss = Math.max(maxRss, child.residentMb());
          nextRss = now + 500_000_000L;
        }
        if (total >= expected || now - lastChange > 15_000_000_000L) {
          break;
        }
        Thread.sleep(10); // polling interval of the topic's end offsets
      }
      if (t10 >= 0 && t90 < 0) {
        // Stalled between the two marks: measure up to the last record that arrived.
        t90 = lastChange;
        at90 = last;
      }
      double seconds = Math.max(1e-3, (t90 - t10) / 1e9);
      // Records measured, and the statuses they stand for (a status can make several records).
      long measured = t10 < 0 ? 0 : at90 - at10;
      double measuredStatuses = (double) measured * statuses / expected;
      double statusesPerSecond = Math.round(measuredStatuses / seconds);
      r.put("statusesPerSecond", statusesPerSecond);
      r.put("recordsPerSecond", (double) Math.round(measured / seconds));
      r.put("recordsInTopic", last);
      r.put("recordsExpected", expected);
      r.put("complete", last >= expected);
      r.put("peakResidentMb", Math.round(maxRss));
      if (cpu10 != null && cpu90 != null) {
        r.put("cpu", cpuShares(cpu10, cpu90, measuredStatuses));
      }
      ctx.progress(
          "%-20s %,10.0f statuses/s  (%d of %d records in the topic)",
          name, statusesPerSecond, last, expected);
      if (last < expected) {
        ctx.progress("%s: stalled before all records arrived; see %s", name, child.log());
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
    return r;
  }

  /** The bare JVM's CPU per status over the variant's: 1.0 when it costs no more. */
  private static Object cpuRatio(Map<String, Object> bare, Map<String, Object> variant) {
    @SuppressWarnings("unchecked")
    Map<String, Object> b = (Map<String, Object>) bare.get("cpu");
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) variant.get("cpu");
    if (b == null || v == null) {
      return null;
    }
    return Stats.ratio((double) b.get("variantMsPer1000"), (double) v.get("variantMsPer1000"));
  }

  /**
   * The same without the JIT compilers' threads: the steady state of a producer that runs for days,
   * which has compiled its code long before. (In the seconds a pass lasts the compilers are still
   * at work, and their share, 40-55 % of the bare JVM's CPU, varies most from run to run.)
   */
  private static Object cpuRatioWithoutJit(Map<String, Object> bare, Map<String, Object> variant) {
    double b = withoutJit(bare);
    double v = withoutJit(variant);
    return b > 0 && v > 0 ? Stats.ratio(b, v) : null;
  }

  @SuppressWarnings("unchecked")
  private static double withoutJit(Map<String, Object> variant) {
    Map<String, Object> cpu = (Map<String, Object>) variant.get("cpu");
    if (cpu == null) {
      return -1;
    }
    Map<String, Object> threads = (Map<String, Object>) cpu.get("variantThreadsMsPer1000");
    if (threads == null || threads.isEmpty()) {
      return -1;
    }
    double sum = 0;
    for (Map.Entry<String, Object> e : threads.entrySet()) {
      if (!e.getKey().equals("jit")) {
        sum += ((Number) e.getValue()).doubleValue();
      }
    }
    return sum;
  }

  /**
   * CPU per 1,000 statuses between the two readings: the variant's JVM, this JVM (the stream
   * server), and the rest of the machine (the broker, the OS); and how busy the machine was.
   */
  private static Map<String, Object> cpuShares(Cpu.Snapshot a, Cpu.Snapshot b, double statuses) {
    double per = 1000.0 / statuses;
    double machine = b.machineBusyMs - a.machineBusyMs;
    double child = b.childMs - a.childMs;
    double self = b.selfMs - a.selfMs;
    double seconds = (b.nanoTime - a.nanoTime) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("variantMsPer1000", Math.round(child * per * 10) / 10.0);
    m.put("streamServerMsPer1000", Math.round(self * per * 10) / 10.0);
    m.put("restMsPer1000", Math.round((machine - child - self) * per * 10) / 10.0);
    Map<String, Object> threads = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : Cpu.threadsDelta(a, b).entrySet()) {
      threads.put(e.getKey(), Math.round(e.getValue() * per * 10) / 10.0);
    }
    m.put("variantThreadsMsPer1000", threads);
    m.put(
        "machineBusy",
        Math.round(machine / (seconds * 1000 * Runtime.getRuntime().availableProcessors()) * 100)
            / 100.0);
    return m;
  }

  /**
   * The source alone: the stream server to a Hosebird client in this JVM, nothing else, from 10 %
   * to 90 % of the corpus. What any producer reading this server could reach at most.
   */
  private static Map<String, Object> source(Bench.Context ctx, Corpus corpus) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    try (StreamServer server =
        StreamServer.builder().source(MessageSource.of(corpus.statuses)).rate(0).build().start()) {
      java.util.concurrent.BlockingQueue<String> queue =
          new java.util.concurrent.LinkedBlockingQueue<>(10_000);
      com.twitter.hbc.core.endpoint.StatusesFilterEndpoint endpoint =
          new com.twitter.hbc.core.endpoint.StatusesFilterEndpoint();
      endpoint.trackTerms(Arrays.asList(Bench.KEYWORDS.split(",")));
      com.twitter.hbc.core.Client client =
          new com.twitter.hbc.ClientBuilder()
              .name("bench-source")
              .hosts(new com.twitter.hbc.core.HttpHosts(server.url()))
              .endpoint(endpoint)
              .authentication(
                  new com.twitter.hbc.httpclient.auth.OAuth1(
                      ThrowawayCredentials.VALUE,
                      ThrowawayCredentials.VALUE,
                      ThrowawayCredentials.VALUE,
                      ThrowawayCredentials.VALUE))
              .processor(new com.twitter.hbc.core.processor.StringDelimitedProcessor(queue))
              .build();
      client.connect();
      try {
        int n = corpus.statuses.size();
        long t10 = 0;
        long t90 = 0;
        for (int i = 1; i <= n; i++) {
          if (queue.poll(60, java.util.concurrent.TimeUnit.SECONDS) == null) {
            throw new IllegalStateException("the source stalled after " + i + " statuses");
          }
          if (i == n / 10) {
            t10 = System.nanoTime();
          }
          if (i == n * 9 / 10) {
            t90 = System.nanoTime();
          }
        }
        double rate = Math.round(n * 0.8 / ((t90 - t10) / 1e9));
        r.put("statusesPerSecond", rate);
        r.put("complete", true);
        ctx.progress("%-20s %,10.0f statuses/s  (no Kafka)", "source alone", rate);
      } finally {
        client.stop();
      }
    }
    return r;
  }

  /** This JVM's classpath without Spark's jars (the baselines need none). */
  static String classpathWithoutSpark() {
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.contains("spark-runtime") && !e.contains("trendline-consumer")) {
        keep.add(e);
      }
    }
    return String.join(File.pathSeparator, keep);
  }
}
