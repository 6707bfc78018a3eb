package io.trendline.bench;

import io.trendline.common.KeywordList;
import io.trendline.process.JavaProcess;
import io.trendline.process.ThrowawayCredentials;
import io.trendline.streamserver.StreamServer;
import io.trendline.streamserver.SyntheticSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import scala.collection.JavaConverters;

/**
 * End-to-end latency and memory over a steady run of the whole pipeline: the stream server
 * generating statuses at a fixed rate below saturation, the producer jar ({@code java -jar}), the
 * broker, and the consumer's real graph in {@code local[2]} with 1-second batches. A record's
 * latency is from the moment the server generated its status ({@code timestamp_ms}) to the end of
 * the batch that counted it; which batch counted which record is read off each batch's offset
 * ranges (Spark's input metadata), so every record is accounted for exactly. The producer's
 * resident memory is sampled every 5 s.
 */
public final class LatencyBench {
  private static final Pattern RANGE =
      Pattern.compile("partition: (\\d+)\\s+offsets: (\\d+) to (\\d+)");
  private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp_ms\":\"(\\d+)\"");

  private LatencyBench() {}

  /** A completed batch: when it ended and, per partition, the offsets [from, until) it read. */
  static final class Batch {
    final long endMs;
    final Map<Integer, long[]> ranges = new HashMap<>();

    Batch(long endMs) {
      this.endMs = endMs;
    }
  }

  public static Map<String, Object> run(Bench.Context ctx) throws Exception {
    int rate = ctx.smoke ? 200 : 1000;
    long durationMs = ctx.smoke ? 20_000 : 180_000;
    long warmupMs = ctx.smoke ? 5_000 : 20_000;
    String bootstrap = ctx.broker.bootstrapServers();
    Path dir = ctx.out.resolve("latency");

    JavaStreamingContext jssc =
        LocalConsumer.create(
            "latency-bench",
            "--topic",
            Bench.LATENCY_TOPIC,
            "--kafka.bootstrap.servers",
            bootstrap,
            "--kafka.group.id",
            "bench-e2e-" + System.nanoTime(),
            "--kafka.auto.offset.reset",
            "earliest",
            "--checkpoint.dir",
            dir.resolve("checkpoint").toString());
    BenchListener listener = new BenchListener();
    jssc.ssc().addStreamingListener(listener);
    jssc.start();

    List<Batch> batches = new ArrayList<>();
    List<Long> processing = new ArrayList<>();
    Map<String, Double> producerRss = new LinkedHashMap<>();
    long start;
    try (StreamServer server =
            StreamServer.builder()
                .source(SyntheticSource.builder(KeywordList.parse(Bench.KEYWORDS)).seed(5).build())
                .rate(rate)
                .build()
                .start();
        JavaProcess producer =
            JavaProcess.start(
                "producer",
                Arrays.asList(
                    "-Xmx256m",
                    "-jar",
                    ctx.producerJar().toString(),
                    "--keywords",
                    Bench.KEYWORDS,
                    "--stream.host",
                    server.url(),
                    "--topic",
                    Bench.LATENCY_TOPIC,
                    "--kafka.bootstrap.servers",
                    bootstrap,
                    "--report.interval",
                    "5s"),
                ThrowawayCredentials.producerEnvironment(),
                ctx.out.resolve("latency-producer.log"))) {
      start = System.currentTimeMillis();
      long nextSample = start;
      while (System.currentTimeMillis() - start < durationMs) {
        BatchInfo info = listener.completed.poll(100, TimeUnit.MILLISECONDS);
        if (info != null) {
          batches.add(batch(info));
          processing.add(BenchListener.processingMs(info));
        }
        if (System.currentTimeMillis() >= nextSample) {
          producerRss.put(
              String.valueOf((System.currentTimeMillis() - start) / 1000),
              Math.round(producer.residentMb() * 10) / 10.0);
          nextSample += 5_000;
        }
        if (!producer.isAlive()) {
          throw new IllegalStateException("the producer exited; see " + producer.log());
        }
      }
      producer.stop(30_000);
    }

    // Everything the producer sent, then the batches until they have read all of it.
    Map<Integer, Long> end = endOffsets(bootstrap);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!covered(batches, end)) {
      BatchInfo info = listener.completed.poll(1, TimeUnit.SECONDS);
      if (info != null) {
        batches.add(batch(info));
        processing.add(BenchListener.processingMs(info));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the consumer did not read all records in 2 minutes");
      }
    }
    jssc.stop(true, true);

    List<Long> latencies = latencies(bootstrap, end, batches, start + warmupMs);
    long total = 0;
    for (long o : end.values()) {
      total += o;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("statusesPerSecond", rate);
    out.put("seconds", durationMs / 1000);
    out.put("warmupSeconds", warmupMs / 1000);
    out.put("records", total);
    out.put("recordsMeasured", latencies.size());
    out.put("p50Ms", Stats.quantile(latencies, 0.5));
    out.put("p99Ms", Stats.quantile(latencies, 0.99));
    out.put("maxMs", latencies.isEmpty() ? Double.NaN : (double) Collections.max(latencies));
    out.put("batchProcessingMedianMs", Stats.median(processing));
    out.put("batchProcessingP99Ms", Stats.quantile(processing, 0.99));
    out.put("producerResidentMb", producerRss);
    out.put("target", "p99 <= 1200 ms at 1,000 statuses/s with 1-second batches (issue 15)");
    ctx.progress(
        "%d records, latency p50 %.0f ms, p99 %.0f ms",
        total, (double) out.get("p50Ms"), (double) out.get("p99Ms"));
    return out;
  }

  private static Batch batch(BatchInfo info) {
    Batch b = new Batch(BenchListener.endTime(info));
    for (StreamInputInfo input :
        JavaConverters.mapAsJavaMapConverter(info.streamIdToInputInfo()).asJava().values()) {
      if (input.metadataDescription().isDefined()) {
        Matcher m = RANGE.matcher(input.metadataDescription().get());
        while (m.find()) {
          b.ranges.put(
              Integer.parseInt(m.group(1)),
              new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
        }
      }
    }
    return b;
  }

  private static boolean covered(List<Batch> batches, Map<Integer, Long> end) {
    Map<Integer, Long> read = new HashMap<>();
    for (Batch b : batches) {
      for (Map.Entry<Integer, long[]> e : b.ranges.entrySet()) {
        read.merge(e.getKey(), e.getValue()[1], Math::max);
      }
    }
    for (Map.Entry<Integer, Long> e : end.entrySet()) {
      if (e.getValue() > 0 && read.getOrDefault(e.getKey(), 0L) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Map<Integer, Long> endOffsets(String bootstrap) {
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap))) {
      Map<Integer, Long> end = new TreeMap<>();
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(Bench.LATENCY_TOPIC)
          .forEach(p -> tps.add(new TopicPartition(Bench.LATENCY_TOPIC, p.partition())));
      c.endOffsets(tps).forEach((tp, o) -> end.put(tp.partition(), o));
      return end;
    }
  }

  /**
   * Reads every record; its latency is the end of the batch whose range holds its offset minus its
   * status's {@code timestamp_ms}. Records generated before {@code fromMs} are left out (warm-up).
   */
  private static List<Long> latencies(
      String bootstrap, Map<Integer, Long> end, List<Batch> batches, long fromMs) {
    Map<Integer, TreeMap<Long, Batch>> byStart = new HashMap<>();
    for (Batch b : batches) {
      for (Map.Entry<Integer, long[]> e : b.ranges.entrySet()) {
        byStart.computeIfAbsent(e.getKey(), k -> new TreeMap<>()).put(e.getValue()[0], b);
      }
    }
    List<Long> latencies = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(KafkaSettings.consumer(bootstrap))) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p : end.keySet()) {
        tps.add(new TopicPartition(Bench.LATENCY_TOPIC, p));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      long expected = 0;
      for (long o : end.values()) {
        expected += o;
      }
      long read = 0;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (read < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          read++;
          // The outer status's timestamp_ms comes last (nested statuses may have their own).
          Matcher m = TIMESTAMP.matcher(r.value());
          long generated = -1;
          while (m.find()) {
            generated = Long.parseLong(m.group(1));
          }
          if (generated < 0) {
            throw new IllegalStateException("a record without timestamp_ms at " + r.offset());
          }
          Map.Entry<Long, Batch> e = byStart.get(r.partition()).floorEntry(r.offset());
          if (e == null || r.offset() >= e.getValue().ranges.get(r.partition())[1]) {
            throw new IllegalStateException(
                "no batch read partition " + r.partition() + " offset " + r.offset());
          }
          if (generated >= fromMs) {
            latencies.add(e.getValue().endMs - generated);
          }
        }
      }
      if (read < expected) {
        throw new IllegalStateException("read back " + read + " of " + expected + " records");
      }
    }
    return latencies;
  }
}
