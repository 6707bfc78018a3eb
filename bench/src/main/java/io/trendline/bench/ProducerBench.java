package io.trendline.bench;

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
 * sending the same records (the ceiling) and the naive producer (substring search, INFO log). Each
 * runs in its own JVM with the same heap; the rate is read off the topic's end offsets, from 10 %
 * to 90 % of the expected records, so start-up and the last batches do not count.
 */
final class ProducerBench {
  static final String TOPIC_BARE = "bench-bare";
  static final String TOPIC_PRODUCER = "bench-producer";
  static final String TOPIC_NAIVE = "bench-naive";
  private static final List<String> HEAP = Collections.singletonList("-Xmx512m");

  private ProducerBench() {}

  static Map<String, Object> run(Bench.Context ctx) throws Exception {
    int n = ctx.smoke ? 3_000 : 60_000;
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
    String cp = classpathWithoutSpark();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("statuses", n);
    out.put("averageStatusBytes", Math.round(corpus.averageBytes()));
    out.put("records", records);

    Map<String, Object> bare =
        measure(
            ctx,
            "bare KafkaProducer",
            TOPIC_BARE,
            n,
            records,
            null,
            url -> {
              List<String> args = new ArrayList<>(HEAP);
              args.addAll(
                  Arrays.asList(
                      "-cp",
                      cp,
                      BareProducer.class.getName(),
                      ctx.broker.bootstrapServers(),
                      TOPIC_BARE,
                      prepared.toString()));
              return Child.java(args, new HashMap<>(), ctx.out.resolve("bare.log"));
            });
    Files.delete(prepared);
    Map<String, Object> producer =
        measure(
            ctx,
            "trendline producer",
            TOPIC_PRODUCER,
            n,
            records,
            corpus,
            url -> {
              List<String> args = new ArrayList<>(HEAP);
              args.addAll(
                  Arrays.asList(
                      "-jar",
                      ctx.producerJar().toString(),
                      "--keywords",
                      Bench.KEYWORDS,
                      "--stream.host",
                      url,
                      "--topic",
                      TOPIC_PRODUCER,
                      "--kafka.bootstrap.servers",
                      ctx.broker.bootstrapServers(),
                      "--report.interval",
                      "60s"));
              return Child.java(
                  args, Child.throwawayCredentials(), ctx.out.resolve("producer.log"));
            });
    Map<String, Object> naive =
        measure(
            ctx,
            "naive producer",
            TOPIC_NAIVE,
            n,
            naiveRecords,
            corpus,
            url -> {
              List<String> args = new ArrayList<>(HEAP);
              args.addAll(
                  Arrays.asList(
                      "-cp",
                      cp,
                      NaiveProducer.class.getName(),
                      ctx.broker.bootstrapServers(),
                      TOPIC_NAIVE,
                      url,
                      Bench.KEYWORDS));
              return Child.java(args, new HashMap<>(), ctx.out.resolve("naive.log"));
            });
    double ceiling = (double) bare.get("statusesPerSecond");
    producer.put("ratioToBare", Stats.ratio((double) producer.get("statusesPerSecond"), ceiling));
    naive.put("ratioToBare", Stats.ratio((double) naive.get("statusesPerSecond"), ceiling));
    bare.put("ratioToBare", 1.0);
    out.put("bare", bare);
    out.put("producer", producer);
    out.put("naive", naive);
    out.put("target", "producer >= 0.70 x bare");
    return out;
  }

  interface Launcher {
    Child start(String streamUrl) throws Exception;
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
      Corpus stream,
      Launcher launcher)
      throws Exception {
    StreamServer server = null;
    if (stream != null) {
      server =
          StreamServer.builder().source(MessageSource.of(stream.statuses)).rate(0).build().start();
    }
    Map<String, Object> r = new LinkedHashMap<>();
    try (KafkaConsumer<String, String> offsets =
            new KafkaConsumer<>(KafkaSettings.consumer(ctx.broker.bootstrapServers()));
        Child child = launcher.start(server == null ? "" : server.url())) {
      List<TopicPartition> partitions = new ArrayList<>();
      offsets
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      long t10 = -1;
      long t90 = -1;
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
        if (t10 < 0 && total >= expected / 10) {
          t10 = now;
        }
        if (t90 < 0 && total >= expected * 9 / 10) {
          t90 = now;
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
      if (t90 < 0) {
        t90 = lastChange;
      }
      double seconds = Math.max(1e-3, (t90 - t10) / 1e9);
      double share =
          (t90 == lastChange && last < expected * 9 / 10 ? last : expected * 0.8) / expected;
      double statusesPerSecond = Math.round(statuses * share / seconds);
      r.put("statusesPerSecond", statusesPerSecond);
      r.put("recordsPerSecond", (double) Math.round(expected * share / seconds));
      r.put("recordsInTopic", last);
      r.put("recordsExpected", expected);
      r.put("complete", last >= expected);
      r.put("peakResidentMb", Math.round(maxRss));
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
