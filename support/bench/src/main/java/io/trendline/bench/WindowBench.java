package io.trendline.bench;

import io.trendline.consumer.ConsumerSettings;
import io.trendline.consumer.LastBatchTime;
import io.trendline.consumer.Ranking;
import io.trendline.consumer.RankingSink;
import io.trendline.consumer.TrendsGraph;
import io.trendline.consumer.WindowSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.util.ManualClock;
import scala.Tuple2;

/**
 * The consumer's cost at a full window: batch processing time in {@code local[2]} at a fixed input
 * rate, for several numbers of distinct keys, with the consumer's own graph (the inverse-function
 * window, {@link TrendsGraph#window}) and with the plain {@code reduceByKeyAndWindow} without an
 * inverse, everything else equal. A manual clock makes every batch start only when the previous one
 * is done, so a batch's processing time is its own; the heap is sampled after a full collection
 * between batches.
 */
public final class WindowBench {
  static final int SLIDE_MS = 1000;

  private WindowBench() {}

  public static Map<String, Object> run(Bench.Context ctx) throws Exception {
    int[] keyCounts =
        ctx.windowKeys != null
            ? ctx.windowKeys
            : ctx.smoke ? new int[] {4, 400} : new int[] {4, 400, 10_000};
    int windowBatches = ctx.smoke ? 10 : 300;
    int batches = ctx.smoke ? 14 : 330;
    int perBatch = 1000;
    int sampleEvery = ctx.smoke ? 5 : 30;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recordsPerBatch", perBatch);
    out.put("windowBatches", windowBatches);
    out.put("batches", batches);
    out.put("heapSampleEvery", sampleEvery);
    Map<String, Object> rows = new LinkedHashMap<>();
    Map<String, Object> series = new LinkedHashMap<>();
    double consumerAtFewest = Double.NaN;
    for (int keys : keyCounts) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (Variant variant : variants()) {
        String name = variant.label + "-" + keys;
        Run r =
            runOne(
                ctx.out.resolve("window-" + name),
                variant,
                keys,
                perBatch,
                windowBatches,
                batches,
                sampleEvery);
        List<Long> full = r.processingMs.subList(windowBatches, r.processingMs.size());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fullWindowMeanMs", Math.round(Stats.mean(full) * 10) / 10.0);
        List<Long> fullWall = r.wallMs.subList(windowBatches, r.wallMs.size());
        m.put("fullWindowWallMeanMs", Math.round(Stats.mean(fullWall) * 10) / 10.0);
        m.put("fullWindowMedianMs", Stats.median(full));
        m.put("fullWindowWallMedianMs", Stats.median(fullWall));
        m.put("fullWindowP90Ms", Stats.quantile(full, 0.9));
        m.put("countedInWindow", r.lastTotal);
        m.put("keysInWindow", r.lastKeys);
        m.put("heapAfterGcMb", r.heapMb);
        m.put("sparkPerBatch", sparkPerBatch(r, windowBatches));
        row.put(variant.label, m);
        series.put(name, r.processingMs);
        ctx.progress(
            "%-20s full window: median %5d ms, mean %7.1f ms (wall median %5d ms), heap %s MB",
            name,
            ((Number) m.get("fullWindowMedianMs")).longValue(),
            (double) m.get("fullWindowMeanMs"),
            ((Number) m.get("fullWindowWallMedianMs")).longValue(),
            r.heapMb);
        long expected = (long) perBatch * Math.min(batches, windowBatches);
        if (variant != Variant.BARE && r.lastTotal != expected) {
          throw new IllegalStateException(
              name + " counted " + r.lastTotal + " in the window, expected " + expected);
        }
      }
      double consumer = medianMs(row, "consumer");
      double sparkInverse = medianMs(row, "spark-inverse");
      double plain = medianMs(row, "plain");
      double bare = medianMs(row, "bare");
      if (Double.isNaN(consumerAtFewest)) {
        consumerAtFewest = consumer;
      }
      if (!Double.isNaN(consumer) && !Double.isNaN(plain)) {
        row.put("plainOverConsumer", Stats.ratio(plain, consumer));
      }
      if (!Double.isNaN(consumer) && !Double.isNaN(sparkInverse)) {
        row.put("sparkInverseOverConsumer", Stats.ratio(sparkInverse, consumer));
      }
      if (!Double.isNaN(consumer) && !Double.isNaN(bare)) {
        row.put("consumerOverBare", Stats.ratio(consumer, bare));
        row.put(
            "consumerOverBareWall",
            Stats.ratio(wallMedianMs(row, "consumer"), wallMedianMs(row, "bare")));
      }
      if (!Double.isNaN(consumer)) {
        row.put("consumerOverFewestKeys", Stats.ratio(consumer, consumerAtFewest));
      }
      rows.put(String.valueOf(keys), row);
    }
    out.put("keys", rows);
    out.put("series", series);
    out.put(
        "target",
        "medians of the full-window batches; consumer flat from 4 to 10,000 keys (<= 1.5 x its"
            + " 4-key time); issue 15: consumer <= 1.2 x bare at 4 keys, <= 1.3 x bare at 10,000"
            + " keys, plain >= 6 x consumer at 10,000 keys");
    return out;
  }

  /**
   * What is measured: the consumer's graph ({@link TrendsGraph#window}: its window kept as keyed
   * state, one ranking job); the same graph on Spark's own {@code reduceByKeyAndWindow} with an
   * inverse function and a zero filter (the consumer's window until it was replaced); the plain
   * window without an inverse function (the classic example); and the bare inverse window (the
   * minimal program: {@code reduceByKeyAndWindow(sum, minus)}, then {@code sortByKey(false)} of
   * (count, key) and the first 10, nothing else) as the baseline of what Spark's window costs.
   */
  enum Variant {
    CONSUMER("consumer"),
    SPARK_INVERSE("spark-inverse"),
    PLAIN("plain"),
    BARE("bare");

    final String label;

    Variant(String label) {
      this.label = label;
    }
  }

  /**
   * The variants to run: all, or those named in the system property {@code
   * trendline.bench.window.variants} (for a profile of one: {@code JAVA_OPTS="-Dtrendline.bench.
   * window.variants=bare -XX:StartFlightRecording=..."}).
   */
  static List<Variant> variants() {
    String only = System.getProperty("trendline.bench.window.variants", "").trim();
    if (only.isEmpty()) {
      return Arrays.asList(Variant.values());
    }
    List<Variant> out = new ArrayList<>();
    for (String name : only.split(",")) {
      Variant found = null;
      for (Variant v : Variant.values()) {
        if (v.label.equals(name.trim())) {
          found = v;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException(
            "unknown window variant '" + name.trim() + "' (consumer, spark-inverse, plain, bare)");
      }
      out.add(found);
    }
    return out;
  }

  /**
   * Medians over the full-window batches of Spark's account of each (jobs, stages and tasks run;
   * the time its stages ran, its jobs' durations summed, the tasks' durations, their code's run
   * time and their deserialization summed over both task threads), and the jobs run outside any
   * batch.
   */
  static Map<String, Object> sparkPerBatch(Run r, int windowBatches) {
    Map<Long, StageTimes.Batch> all = r.stages.byBatch();
    List<StageTimes.Batch> full = new ArrayList<>();
    for (Long time : r.batchTimes.subList(windowBatches, r.batchTimes.size())) {
      full.add(all.containsKey(time) ? all.get(time) : new StageTimes.Batch());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobs", Stats.median(field(full, b -> b.jobs)));
    out.put("stages", Stats.median(field(full, b -> b.stages)));
    out.put("tasks", Stats.median(field(full, b -> b.tasks)));
    out.put("stageMs", Stats.median(field(full, b -> b.stageMs)));
    out.put("jobMs", Stats.median(field(full, b -> b.jobMs)));
    out.put("taskMs", Stats.median(field(full, b -> b.taskMs)));
    out.put("taskRunMs", Stats.median(field(full, b -> b.runMs)));
    out.put("taskDeserializeMs", Stats.median(field(full, b -> b.deserializeMs)));
    out.put("jobsOutsideBatches", r.stages.untaggedJobs());
    return out;
  }

  private static List<Long> field(
      List<StageTimes.Batch> batches, java.util.function.ToLongFunction<StageTimes.Batch> f) {
    List<Long> out = new ArrayList<>(batches.size());
    for (StageTimes.Batch b : batches) {
      out.add(f.applyAsLong(b));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static double wallMedianMs(Map<String, Object> row, String variant) {
    return ((Number) ((Map<String, Object>) row.get(variant)).get("fullWindowWallMedianMs"))
        .doubleValue();
  }

  /** The full-window median of a variant in a row, NaN when it was not run. */
  @SuppressWarnings("unchecked")
  private static double medianMs(Map<String, Object> row, String variant) {
    Object m = row.get(variant);
    return m == null
        ? Double.NaN
        : ((Number) ((Map<String, Object>) m).get("fullWindowMedianMs")).doubleValue();
  }

  static final class Run {
    final List<Long> processingMs = new ArrayList<>();

    /**
     * From the clock's tick to the batch's end: also the work Spark does while it generates the
     * batch's jobs (a {@code sortByKey} in a {@code transform} samples, and so computes, its input
     * then), which the processing time does not include.
     */
    final List<Long> wallMs = new ArrayList<>();

    final Map<String, Double> heapMb = new LinkedHashMap<>();

    /** Each batch's time (ms), in order. */
    final List<Long> batchTimes = new ArrayList<>();

    /** Spark's account of the batches' jobs, stages and tasks. */
    final StageTimes stages = new StageTimes();

    long lastTotal;
    int lastKeys;
  }

  private static Run runOne(
      Path dir,
      Variant variant,
      int keys,
      int perBatch,
      int windowBatches,
      int batches,
      int sampleEvery)
      throws Exception {
    ConsumerSettings settings =
        ConsumerSettings.load(
            new String[] {
              "--checkpoint.dir", dir.resolve("checkpoint").toString(),
              "--window", (windowBatches * SLIDE_MS / 1000) + "s",
              "--slide", "1s",
              "--batch.interval", "1s",
              "--sink.console", "false"
            },
            Collections.<String, String>emptyMap());
    // Every program runs with the consumer's Spark settings (its defaults that differ from
    // Spark's: fewer jobs and stages kept for the UI), so that the programs differ in their graphs
    // (the consumer's on its default partitions, the others on Spark's default parallelism).
    SparkConf conf =
        settings
            .sparkConf("window-bench")
            .setMaster("local[2]")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.ui.enabled", "false")
            .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    JavaStreamingContext jssc = new JavaStreamingContext(conf, new Duration(SLIDE_MS));
    Run run = new Run();
    try {
      jssc.checkpoint(settings.checkpointDir());
      Queue<JavaRDD<Tuple2<String, Long>>> queue = new LinkedList<>();
      for (int b = 0; b < batches; b++) {
        long from = (long) b * perBatch;
        // A range RDD holds no data in the driver: the records are made in the tasks.
        queue.add(
            jssc.sparkContext()
                .sc()
                .range(from, from + perBatch, 1, 2)
                .toJavaRDD()
                .map(new Key(keys)));
      }
      JavaPairDStream<String, Long> ones = jssc.queueStream(queue, true).mapToPair(new Identity());
      List<RankingSink> sinks = Collections.<RankingSink>singletonList(new LastRanking());
      WindowSpec window = settings.windowSpec();
      if (variant == Variant.BARE) {
        ones.reduceByKeyAndWindow(new Sum(), new Minus(), window.length(), window.slide())
            .mapToPair(new Swap())
            .transformToPair(new Descending())
            .foreachRDD(new TakeTen());
      } else {
        JavaPairDStream<String, Long> counts;
        if (variant == Variant.CONSUMER) {
          counts = TrendsGraph.window(ones, window);
        } else if (variant == Variant.SPARK_INVERSE) {
          counts =
              ones.reduceByKeyAndWindow(
                  new Sum(),
                  new Minus(),
                  window.length(),
                  window.slide(),
                  jssc.sparkContext().defaultParallelism(),
                  new NonZero());
          counts.checkpoint(window.checkpointInterval());
        } else {
          // The classic example: every slide re-merges the window's per-batch results.
          counts =
              ones.reduceByKeyAndWindow(
                  (a, b) -> a + b,
                  window.length(),
                  window.slide(),
                  jssc.sparkContext().defaultParallelism());
        }
        TrendsGraph.rankAndSink(counts, window, settings.top(), sinks, new LastBatchTime());
      }
      BenchListener listener = new BenchListener();
      jssc.ssc().addStreamingListener(listener);
      jssc.sparkContext().sc().addSparkListener(run.stages);
      jssc.start();
      ManualClock clock = (ManualClock) jssc.ssc().scheduler().clock();
      run.heapMb.put("0", Math.round(Heap.usedAfterGcMb() * 10) / 10.0);
      for (int b = 1; b <= batches; b++) {
        long started = System.nanoTime();
        clock.advance(SLIDE_MS);
        BatchInfo info = listener.completed.poll(10, TimeUnit.MINUTES);
        run.wallMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        if (info == null) {
          throw new IllegalStateException("batch " + b + " did not complete in 10 minutes");
        }
        run.processingMs.add(BenchListener.processingMs(info));
        run.batchTimes.add(info.batchTime().milliseconds());
        if (b % sampleEvery == 0) {
          run.heapMb.put(String.valueOf(b), Math.round(Heap.usedAfterGcMb() * 10) / 10.0);
        }
      }
      Ranking last = variant == Variant.BARE ? null : LastRanking.LAST.get();
      run.lastTotal = last == null ? -1 : last.total;
      run.lastKeys = last == null ? -1 : last.keys;
    } finally {
      jssc.stop(true, false);
    }
    return run;
  }

  /** Record number → (one of {@code keys} keys, 1). */
  static final class Key implements Function<Object, Tuple2<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final int keys;

    Key(int keys) {
      this.keys = keys;
    }

    @Override
    public Tuple2<String, Long> call(Object n) {
      return new Tuple2<>("k" + ((Long) n % keys), 1L);
    }
  }

  static final class Sum implements Function2<Long, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long a, Long b) {
      return a + b;
    }
  }

  static final class Minus implements Function2<Long, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long a, Long b) {
      return a - b;
    }
  }

  static final class NonZero implements Function<Tuple2<String, Long>, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(Tuple2<String, Long> kv) {
      return kv._2() != 0L;
    }
  }

  static final class Swap implements PairFunction<Tuple2<String, Long>, Long, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<Long, String> call(Tuple2<String, Long> t) {
      return t.swap();
    }
  }

  static final class Descending
      implements Function<JavaPairRDD<Long, String>, JavaPairRDD<Long, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public JavaPairRDD<Long, String> call(JavaPairRDD<Long, String> rdd) {
      return rdd.sortByKey(false);
    }
  }

  /** What {@code print()} computes, without the printing. */
  static final class TakeTen implements VoidFunction<JavaPairRDD<Long, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void call(JavaPairRDD<Long, String> rdd) {
      rdd.take(10);
    }
  }

  static final class Identity implements PairFunction<Tuple2<String, Long>, String, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<String, Long> call(Tuple2<String, Long> t) {
      return t;
    }
  }
}
