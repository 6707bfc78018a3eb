package io.trendline.bench;

import io.trendline.consumer.ConsumerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.util.ManualClock;

/**
 * The sustainable rate: the highest input rate at which the consumer's 1-second batches (its real
 * graph on the Kafka direct stream) still take no longer than the interval on average, so a backlog
 * never grows, against the raw read rate of a plain {@code KafkaConsumer} on the same topic (the
 * ceiling). Each rate is a fresh application reading the topic from the start, capped by {@code
 * max.rate.per.partition}, under a manual clock (so batches never queue): its first batch is
 * warm-up, the mean of the next ten decides (ten batches hold one checkpoint of the window's state,
 * which the consumer writes every ten seconds). Rates double until a rate fails, then two bisection
 * steps. The topic's records are spread evenly over its partitions, so every batch holds exactly
 * the rate.
 *
 * <p>The consumer runs in two configurations, the two ramps taking turns level by level so that a
 * slow spell of the machine falls on both: its default ({@code partitions=1}: each batch one task,
 * reading the three partitions one after the other, no shuffle) on {@code local[2]}, a task thread
 * per core; and {@code partitions=3} on {@code local[3]}, a task thread per Kafka partition as the
 * baseline's reader has a thread per partition (a task per partition reads in parallel, the counts
 * move by key to three partitions of the state).
 */
public final class RateBench {
  private static final int PARTITIONS = 3;
  private static final int MEASURED_BATCHES = 10;

  /**
   * The plain readers' client settings: Kafka's defaults, and the consumer's (its executors' TCP
   * receive buffer and largest fetch of a partition): {receive.buffer.bytes,
   * max.partition.fetch.bytes}.
   */
  private static final int[][] CLIENT_SETTINGS = {
    {65_536, 1_048_576},
    {ConsumerSettings.RECEIVE_BUFFER_BYTES, ConsumerSettings.PARTITION_FETCH_BYTES}
  };

  /** Each ramp's Spark master and the consumer's {@code partitions} setting. */
  private static final String[][] CONFIGURATIONS = {
    {"local[2]", "1"}, {"local[" + PARTITIONS + "]", String.valueOf(PARTITIONS)}
  };

  private RateBench() {}

  public static Map<String, Object> run(Bench.Context ctx) throws Exception {
    // The ramp's highest rate is the topic's records over 11 batches: 7,000,000 allow 636,363
    // records/s, above the best plain reader on the development machine (560,000).
    int records = ctx.smoke ? 33_000 : 7_000_000;
    String bootstrap = ctx.broker.bootstrapServers();
    fill(bootstrap, records);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recordsInTopic", records);
    // The ceiling is the best plain reader: one thread for all partitions, or one per partition,
    // with Kafka's client defaults or the consumer's, each run twice.
    double oneThread = 0;
    double perPartition = 0;
    Map<String, Object> bySettings = new LinkedHashMap<>();
    for (int[] settings : CLIENT_SETTINGS) {
      double one = 0;
      double per = 0;
      for (int i = 0; i < 2; i++) {
        one = Math.max(one, rawReadRate(bootstrap, records, 1, settings));
        per = Math.max(per, rawReadRate(bootstrap, records, PARTITIONS, settings));
      }
      String name =
          "receive.buffer.bytes=" + settings[0] + ",max.partition.fetch.bytes=" + settings[1];
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("oneThreadRecordsPerSecond", Math.round(one));
      b.put("threadPerPartitionRecordsPerSecond", Math.round(per));
      bySettings.put(name, b);
      ctx.progress(
          "plain KafkaConsumer, %s: one thread %,.0f records/s, one per partition %,.0f",
          name, one, per);
      oneThread = Math.max(oneThread, one);
      perPartition = Math.max(perPartition, per);
    }
    double raw = Math.max(oneThread, perPartition);
    out.put("rawReadOneThreadRecordsPerSecond", Math.round(oneThread));
    out.put("rawReadThreadPerPartitionRecordsPerSecond", Math.round(perPartition));
    out.put("rawReadRecordsPerSecond", Math.round(raw));
    out.put("rawReadByClientSettings", bySettings);
    ctx.progress(
        "raw KafkaConsumer read: %,.0f records/s (one thread %,.0f, one per partition %,.0f)",
        raw, oneThread, perPartition);

    // One untimed run first: the first master would otherwise pay for compiling Spark's code.
    Map<String, Object> warmUp = new LinkedHashMap<>();
    level(ctx, CONFIGURATIONS[0], ctx.smoke ? 1_500 : 96_000, warmUp);
    out.put("warmUp", warmUp);
    List<Ramp> ramps = new ArrayList<>();
    for (String[] configuration : CONFIGURATIONS) {
      ramps.add(new Ramp(configuration, ctx.smoke ? 1_500 : 24_000, records));
    }
    for (boolean going = true; going; ) {
      going = false;
      for (Ramp ramp : ramps) {
        int rate = ramp.next();
        if (rate > 0) {
          ramp.record(level(ctx, ramp.configuration, rate, ramp.levels));
          going = true;
        }
      }
    }
    Map<String, Object> consumers = new LinkedHashMap<>();
    for (Ramp ramp : ramps) {
      consumers.put(label(ramp.configuration), ramp.figures(raw));
    }
    out.put("consumers", consumers);
    out.put(
        "target",
        "sustainable >= 1.0 x the best plain reader (issue 15), as many task threads as"
            + " partitions");
    return out;
  }

  /**
   * One master's search: doubles the rate from a start until it fails (or the topic cannot hold the
   * next doubling's batches, when the highest rate it holds is tried), then bisects twice, so the
   * rate is known to within a quarter of the last doubling.
   */
  private static final class Ramp {
    final String[] configuration;
    final Map<String, Object> levels = new LinkedHashMap<>();
    private final int highest;
    private int rate;
    private int pass;
    private int fail;
    private int bisections;
    private boolean triedHighest;

    Ramp(String[] configuration, int start, int records) {
      this.configuration = configuration;
      this.rate = start;
      this.highest = records / (MEASURED_BATCHES + 1) / PARTITIONS * PARTITIONS;
    }

    /** The next rate to run, or 0 when the search is over. */
    int next() {
      if (fail == 0) {
        if (rate <= highest) {
          return rate;
        }
        if (!triedHighest && pass < highest) {
          triedHighest = true;
          return rate = highest;
        }
        return 0;
      }
      if (pass > 0 && bisections < 2) {
        return rate = (pass + fail) / 2 / PARTITIONS * PARTITIONS;
      }
      return 0;
    }

    void record(boolean fits) {
      if (fail > 0) {
        bisections++;
      }
      if (fits) {
        pass = rate;
        if (fail == 0) {
          rate *= 2;
        }
      } else {
        fail = rate;
      }
    }

    Map<String, Object> figures(double raw) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("levels", levels);
      out.put("sustainableRecordsPerSecond", pass);
      out.put("bounded", fail > 0);
      out.put("ratioToRawRead", Stats.ratio(pass, raw));
      // The reading stage's time against the batch's records, over every level: what a batch
      // pays whatever it holds (the intercept; its parts are not measured apart) and the time per
      // record.
      List<Integer> sizes = new ArrayList<>();
      List<Double> readMs = new ArrayList<>();
      for (Map.Entry<String, Object> e : levels.entrySet()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> level = (Map<String, Object>) e.getValue();
        sizes.add(Integer.parseInt(e.getKey()));
        readMs.add((Double) level.get("meanReadStageMs"));
      }
      double[] line = Stats.line(sizes, readMs);
      if (line[1] > 0) {
        out.put("readStageFixedMsPerBatch", Math.round(line[0] * 10) / 10.0);
        out.put("readStageRecordsPerSecond", Math.round(1000 / line[1]));
        out.put("readStageRatioToRawRead", Stats.ratio(1000 / line[1], raw));
      }
      Object atPass = levels.get(String.valueOf(pass));
      if (atPass != null) {
        // At the sustainable rate: how much of a batch is reading, and how fast it reads.
        @SuppressWarnings("unchecked")
        Map<String, Object> level = (Map<String, Object>) atPass;
        out.put("meanMsAtSustainable", level.get("meanMs"));
        out.put("meanReadStageMsAtSustainable", level.get("meanReadStageMs"));
        double whileReading = (Double) level.get("recordsPerSecondWhileReading");
        out.put("recordsPerSecondWhileReadingAtSustainable", Math.round(whileReading));
        out.put("whileReadingRatioToRawRead", Stats.ratio(whileReading, raw));
      }
      return out;
    }
  }

  /**
   * Runs the consumer at {@code rate} records/s; true if its batches take no longer than the
   * interval on average.
   */
  private static boolean level(
      Bench.Context ctx, String[] configuration, int rate, Map<String, Object> levels)
      throws Exception {
    String master = configuration[0];
    String name = master.replaceAll("[^0-9a-z]", "") + "-p" + configuration[1] + "-" + rate;
    Path dir = ctx.out.resolve("rate-" + name);
    List<String> args = new ArrayList<>();
    String extra = System.getProperty("trendline.bench.rate.args", "").trim();
    if (!extra.isEmpty()) {
      Collections.addAll(args, extra.split("\\s+"));
    }
    args.addAll(
        Arrays.asList(
            "--topic",
            Bench.RATE_TOPIC,
            "--kafka.bootstrap.servers",
            ctx.broker.bootstrapServers(),
            "--kafka.group.id",
            "bench-rate-" + name + "-" + System.nanoTime(),
            "--kafka.auto.offset.reset",
            "earliest",
            "--checkpoint.dir",
            dir.resolve("checkpoint").toString(),
            "--partitions",
            configuration[1],
            "--max.rate.per.partition",
            String.valueOf((rate + PARTITIONS - 1) / PARTITIONS),
            "--spark.streaming.clock",
            "org.apache.spark.util.ManualClock"));
    JavaStreamingContext jssc =
        LocalConsumer.createOn(master, "rate-bench", args.toArray(new String[0]));
    List<Long> processing = new ArrayList<>();
    List<Long> counted = new ArrayList<>();
    List<Long> measuredTimes = new ArrayList<>();
    StageTimes stages = new StageTimes();
    jssc.sparkContext().sc().addSparkListener(stages);
    try {
      BenchListener listener = new BenchListener();
      jssc.ssc().addStreamingListener(listener);
      jssc.start();
      ManualClock clock = (ManualClock) jssc.ssc().scheduler().clock();
      for (int b = 0; b <= MEASURED_BATCHES; b++) {
        clock.advance(jssc.ssc().graph().batchDuration().milliseconds());
        BatchInfo info = listener.completed.poll(5, TimeUnit.MINUTES);
        if (info == null) {
          throw new IllegalStateException("a batch at " + rate + " records/s took over 5 minutes");
        }
        if (b > 0) {
          processing.add(BenchListener.processingMs(info));
          counted.add(info.numRecords());
          measuredTimes.add(info.batchTime().milliseconds());
        }
      }
    } finally {
      jssc.stop(true, false); // drains the listener bus: StageTimes is complete after it
    }
    // Where a batch's time goes: reading Kafka (the stages holding the KafkaRDD; with one state
    // partition the window's update runs in that stage too) and the rest.
    Map<Long, StageTimes.Batch> byBatch = stages.byBatch();
    List<Long> reading = new ArrayList<>();
    for (long time : measuredTimes) {
      StageTimes.Batch b = byBatch.get(time);
      reading.add(b == null ? 0 : b.readStageMs);
    }
    double slowest = Collections.max(processing);
    double mean = Stats.mean(processing);
    for (long n : counted) {
      if (n != rate) {
        throw new IllegalStateException(
            "a batch at " + rate + " records/s held " + n + " records: " + counted);
      }
    }
    boolean ok = mean <= 1000;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("processingMs", processing);
    m.put("recordsPerBatch", counted);
    m.put("meanMs", mean);
    m.put("slowestMs", slowest);
    m.put("readStageMs", reading);
    double meanReading = Stats.mean(reading);
    m.put("meanReadStageMs", meanReading);
    // The rate the batch's records were read at while its reading stage ran.
    m.put("recordsPerSecondWhileReading", meanReading > 0 ? rate * 1000.0 / meanReading : 0);
    m.put("fits", ok);
    levels.put(String.valueOf(rate), m);
    ctx.progress(
        "consumer (%s) at %,7d records/s: batches of %,d records took %s ms (mean %.0f, reading"
            + " Kafka %.0f) -> %s",
        label(configuration), rate, rate, processing, mean, meanReading, ok ? "fits" : "too slow");
    return ok;
  }

  /** "local[2], partitions=1". */
  private static String label(String[] configuration) {
    return configuration[0] + ", partitions=" + configuration[1];
  }

  /** Fills the topic with realistic statuses keyed by keyword, as the producer writes them. */
  private static void fill(String bootstrap, int records) throws Exception {
    Corpus corpus = Corpus.generate(Bench.KEYWORDS, 2_000, 11, true);
    Properties p = KafkaSettings.producer(bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "1");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "50");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < records; i++) {
        int s = i % corpus.statuses.size();
        // Keyed by keyword as the producer does, but spread evenly over the partitions, so that
        // max.rate.per.partition x partitions is exactly the rate asked for.
        producer.send(
            new ProducerRecord<>(
                Bench.RATE_TOPIC,
                i % PARTITIONS,
                corpus.keywords.get(s).get(0),
                corpus.statuses.get(s)));
      }
      producer.flush();
    }
  }

  /**
   * Records per second plain consumers read the whole topic at, deserializing as Strings: {@code
   * threads} consumers, each assigned its share of the partitions, from a common start until the
   * last has read its share. With the client's default {@code fetch.max.wait.ms} (500), one
   * consumer of several partitions of this broker waits about 40 ms per fetch and reads some 9,000
   * records/s; 10 ms removes the wait, and the ceiling should be the best a plain consumer does.
   * Keys are deserialized as UTF-8 strings and values skipped, as the consumer does.
   */
  private static double rawReadRate(String bootstrap, int records, int threads, int[] settings)
      throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Long>> reads = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = t; p < PARTITIONS; p += threads) {
          tps.add(new TopicPartition(Bench.RATE_TOPIC, p));
        }
        // The records are spread evenly: partition p holds those with index % PARTITIONS == p.
        long share = 0;
        for (TopicPartition tp : tps) {
          share += (records - tp.partition() + PARTITIONS - 1) / PARTITIONS;
        }
        long expected = share;
        reads.add(pool.submit(() -> readAll(bootstrap, tps, expected, settings, ready, go)));
      }
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      long read = 0;
      for (Future<Long> f : reads) {
        read += f.get();
      }
      return read / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long readAll(
      String bootstrap,
      List<TopicPartition> tps,
      long records,
      int[] settings,
      CountDownLatch ready,
      CountDownLatch go)
      throws InterruptedException {
    Properties props = KafkaSettings.consumer(bootstrap);
    props.put("fetch.max.wait.ms", "10");
    props.put("receive.buffer.bytes", String.valueOf(settings[0]));
    props.put("max.partition.fetch.bytes", String.valueOf(settings[1]));
    // Keys only, as the consumer reads them (its values are not deserialized either).
    props.put("value.deserializer", SkipValue.class.getName());
    props.put("key.deserializer", Utf8Key.class.getName());
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      ready.countDown();
      go.await();
      long read = 0;
      long keyChars = 0;
      long start = System.nanoTime();
      while (read < records) {
        ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(1000));
        for (org.apache.kafka.clients.consumer.ConsumerRecord<String, String> r : batch) {
          keyChars += r.key().length();
          read++;
        }
        if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(5)) {
          throw new IllegalStateException("read " + read + " of " + records + " in 5 minutes");
        }
      }
      if (keyChars == 0) {
        throw new IllegalStateException("empty keys");
      }
      return read;
    }
  }

  /**
   * A key as UTF-8, the charset given as an object (the plain baseline's equivalent of the
   * consumer's).
   */
  public static final class Utf8Key implements Deserializer<String> {
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public String deserialize(String topic, byte[] data) {
      return data == null ? null : new String(data, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {}
  }

  /** Leaves a record's value unread (the plain baseline's equivalent of the consumer's). */
  public static final class SkipValue implements Deserializer<String> {
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}

    @Override
    public String deserialize(String topic, byte[] data) {
      return null;
    }

    @Override
    public void close() {}
  }
}
