package io.trendline.consumer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaRDDLike;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.rdd.RDD;
import org.apache.spark.rdd.UnionRDD;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The consumer's stream graph, step by step: read → window → rank → sink, then commit. Each step is
 * a static function of a stream and of what it needs (durations, sinks), so the application wires
 * them on Kafka, and tests and benchmarks wire the same steps on a queue stream under a manual
 * clock.
 *
 * <p>Everything these functions put in the graph is serializable: the graph is checkpointed, and a
 * driver restarted on the same checkpoint restores it instead of calling them again.
 */
public final class TrendsGraph {
  private TrendsGraph() {}

  /**
   * The whole graph on a Kafka topic: {@link #read}, {@link KeywordCounts#perBatchOfRecords}, the
   * window ({@link KeywordCounts#windowed}), {@link #rankAndSink}, and the offsets committed once a
   * ranking is out ({@link #offsetCommits}). The context must have a checkpoint directory.
   */
  public static void onKafka(
      JavaStreamingContext jssc,
      String topic,
      Map<String, Object> kafkaParams,
      WindowSpec window,
      int top,
      List<RankingSink> sinks,
      LastBatchTime lastBatch) {
    onKafka(jssc, topic, kafkaParams, window, null, top, sinks, lastBatch);
  }

  /**
   * The same, with all-time totals ({@link KeywordCounts#totals}) when {@code totalsIdleTimeout} is
   * not null: each ranking then carries the top totals too.
   */
  public static void onKafka(
      JavaStreamingContext jssc,
      String topic,
      Map<String, Object> kafkaParams,
      WindowSpec window,
      Duration totalsIdleTimeout,
      int top,
      List<RankingSink> sinks,
      LastBatchTime lastBatch) {
    JavaInputDStream<ConsumerRecord<String, String>> records = read(jssc, topic, kafkaParams);
    // Registered before the ranking output, so each batch's offsets are known when it runs.
    OffsetCommits commits = offsetCommits(records);
    Partitioner partitioner = KeywordCounts.partitioner(records, window);
    JavaPairDStream<String, Long> perBatch = KeywordCounts.perBatchOfRecords(records, partitioner);
    JavaPairDStream<String, Long> windowed = KeywordCounts.windowed(perBatch, window);
    if (totalsIdleTimeout == null) {
      rankAndSink(windowed, window, top, sinks, lastBatch, commits);
    } else {
      // Each batch counted once, for both: the window keeps the counts until both are done.
      rankAndSink(
          windowed,
          KeywordCounts.totals(perBatch, window, partitioner, totalsIdleTimeout),
          window,
          top,
          sinks,
          lastBatch,
          commits);
    }
  }

  /**
   * read: the Kafka direct stream of {@code topic} ({@code PreferConsistent}, {@code Subscribe}).
   * Auto-commit must be off in {@code kafkaParams}: offsets are committed by {@link
   * #offsetCommits}.
   */
  public static JavaInputDStream<ConsumerRecord<String, String>> read(
      JavaStreamingContext jssc, String topic, Map<String, Object> kafkaParams) {
    return KafkaUtils.createDirectStream(
        jssc,
        LocationStrategies.PreferConsistent(),
        ConsumerStrategies.<String, String>Subscribe(
            Collections.singletonList(topic), kafkaParams));
  }

  /**
   * window: the count per keyword over the window, every slide ({@link KeywordCounts#windowed}),
   * its state checkpointed at the window's checkpoint interval.
   */
  public static JavaPairDStream<String, Long> window(
      JavaPairDStream<String, Long> ones, WindowSpec window) {
    Partitioner partitioner = KeywordCounts.partitioner(ones, window);
    return KeywordCounts.windowed(KeywordCounts.perBatch(ones, partitioner), window);
  }

  /**
   * rank → sink: every slide, the top {@code top} keywords of {@code counts} (each partition ranks
   * its own keys and the driver merges their top rows), given to each sink in order, with the last
   * completed batch's processing time from {@code lastBatch}.
   */
  public static void rankAndSink(
      JavaPairDStream<String, Long> counts,
      WindowSpec window,
      int top,
      List<RankingSink> sinks,
      LastBatchTime lastBatch) {
    rankAndSink(counts, window, top, sinks, lastBatch, null);
  }

  /** The same, then {@code commits} (null for none) commits the offsets the ranking holds. */
  private static void rankAndSink(
      JavaPairDStream<String, Long> counts,
      WindowSpec window,
      int top,
      List<RankingSink> sinks,
      LastBatchTime lastBatch,
      OffsetCommits commits) {
    counts.foreachRDD(
        new RankAndSink(
            window.length().milliseconds(),
            window.slide().milliseconds(),
            top,
            sinks,
            lastBatch,
            commits));
  }

  /**
   * rank → sink with all-time totals: as {@link #rankAndSink(JavaPairDStream, WindowSpec, int,
   * List, LastBatchTime)}, the window's counts and {@code totals} ranked in one job per slide.
   */
  public static void rankAndSink(
      JavaPairDStream<String, Long> counts,
      JavaPairDStream<String, Long> totals,
      WindowSpec window,
      int top,
      List<RankingSink> sinks,
      LastBatchTime lastBatch) {
    rankAndSink(counts, totals, window, top, sinks, lastBatch, null);
  }

  /** The same, then {@code commits} (null for none) commits the offsets the ranking holds. */
  private static void rankAndSink(
      JavaPairDStream<String, Long> counts,
      JavaPairDStream<String, Long> totals,
      WindowSpec window,
      int top,
      List<RankingSink> sinks,
      LastBatchTime lastBatch,
      OffsetCommits commits) {
    counts
        .transformWith(totals, new RankBoth())
        .foreachRDD(
            new MergeAndSink(
                window.length().milliseconds(),
                window.slide().milliseconds(),
                top,
                sinks,
                lastBatch,
                commits));
  }

  /**
   * commit: remembers each batch's offset ranges as it is read; the ranking's output commits them
   * to Kafka (asynchronously, under the stream's group id) once every sink has taken the ranking.
   * So a start without a checkpoint resumes after the last batch a ranking was given out with: not
   * after a batch between two slides (with a slide of several batches), whose records no ranking
   * holds yet, and not after a batch whose ranking a sink failed to take.
   */
  static OffsetCommits offsetCommits(JavaInputDStream<ConsumerRecord<String, String>> records) {
    OffsetCommits commits = new OffsetCommits(records);
    records.foreachRDD(new RememberOffsets(commits));
    return commits;
  }

  /**
   * What both ranking outputs share: the ranking's shape and where it goes. {@link #giveOut} gives
   * a ranking to every sink in order, then commits the offsets it holds; a sink's failure stops
   * every later commit of this driver (a later ranking may not hold what the failed one held: with
   * a window no longer than the slide its records have left) and is rethrown.
   */
  private abstract static class GiveOut<R> implements VoidFunction2<R, Time> {
    private static final long serialVersionUID = 1L;
    final long windowMs;
    final long slideMs;
    final int top;
    private final List<RankingSink> sinks;
    private final LastBatchTime lastBatch;
    private final OffsetCommits commits;

    GiveOut(
        long windowMs,
        long slideMs,
        int top,
        List<RankingSink> sinks,
        LastBatchTime lastBatch,
        OffsetCommits commits) {
      this.windowMs = windowMs;
      this.slideMs = slideMs;
      this.top = top;
      this.sinks = new ArrayList<>(sinks);
      this.lastBatch = lastBatch;
      this.commits = commits;
    }

    /** The window's ranking at {@code time}, from its partitions' partials. */
    Ranking merge(List<Ranking.Partial> window, Time time) {
      return Ranking.merge(
          time.milliseconds(), windowMs, slideMs, window, top, lastBatch.processingMs());
    }

    void giveOut(Ranking ranking, Time time) throws Exception {
      try {
        for (RankingSink sink : sinks) {
          sink.accept(ranking);
        }
      } catch (Exception | Error e) {
        if (commits != null) {
          commits.halt();
        }
        throw e;
      }
      if (commits != null) {
        commits.commitThrough(time);
      }
    }
  }

  /**
   * Ranks the window's counts and gives the ranking to every sink, on the driver; then, on Kafka,
   * commits the offsets of the batches the ranking holds.
   */
  private static final class RankAndSink extends GiveOut<JavaPairRDD<String, Long>> {
    private static final long serialVersionUID = 1L;

    RankAndSink(
        long windowMs,
        long slideMs,
        int top,
        List<RankingSink> sinks,
        LastBatchTime lastBatch,
        OffsetCommits commits) {
      super(windowMs, slideMs, top, sinks, lastBatch, commits);
    }

    @Override
    public void call(JavaPairRDD<String, Long> counts, Time time) throws Exception {
      giveOut(merge(rankPartitions(counts, top), time), time);
    }
  }

  /**
   * The window's counts and the totals as one RDD, the window's partitions first: one job ranks
   * both. A {@code UnionRDD} made as such (not {@code union}, which zips the partitions of two RDDs
   * with the same partitioner into one), with no function of its own to clean.
   */
  private static final class RankBoth
      implements Function3<
          JavaPairRDD<String, Long>,
          JavaPairRDD<String, Long>,
          Time,
          JavaRDD<Tuple2<String, Long>>> {
    private static final long serialVersionUID = 1L;

    @Override
    public JavaRDD<Tuple2<String, Long>> call(
        JavaPairRDD<String, Long> window, JavaPairRDD<String, Long> totals, Time time) {
      List<RDD<Tuple2<String, Long>>> both = Arrays.asList(window.rdd(), totals.rdd());
      return new UnionRDD<>(
              window.context(),
              JavaConverters.asScalaBufferConverter(both).asScala(),
              window.classTag())
          .toJavaRDD();
    }
  }

  /** Merges the window's and the totals' partials on the driver and gives the ranking on. */
  private static final class MergeAndSink extends GiveOut<JavaRDD<Tuple2<String, Long>>> {
    private static final long serialVersionUID = 1L;

    MergeAndSink(
        long windowMs,
        long slideMs,
        int top,
        List<RankingSink> sinks,
        LastBatchTime lastBatch,
        OffsetCommits commits) {
      super(windowMs, slideMs, top, sinks, lastBatch, commits);
    }

    @Override
    public void call(JavaRDD<Tuple2<String, Long>> both, Time time) throws Exception {
      // The union's first partitions are the window's, the rest the totals'.
      int windowPartitions = ((UnionRDD<?>) both.rdd()).rdds().apply(0).partitions().length;
      List<Ranking.Partial> parts = rankPartitions(both, top);
      giveOut(
          merge(parts.subList(0, windowPartitions), time)
              .withTotals(parts.subList(windowPartitions, parts.size()), top),
          time);
    }
  }

  /**
   * Each partition of {@code counts} ranked where it is (see {@link Ranking.Partial}), in one job.
   * The job is run with functions of named classes: Spark's closure cleaner then leaves them as
   * they are, where for {@code mapPartitions} and {@code collect} it reads and parses the bytecode
   * of their closures' classes at every call, every batch (about 2 ms a batch on the driver's job
   * thread, inside the batch's processing time, in the window benchmark's profile).
   */
  static List<Ranking.Partial> rankPartitions(
      JavaRDDLike<Tuple2<String, Long>, ?> counts, int top) {
    RDD<Tuple2<String, Long>> rdd = counts.rdd();
    int n = rdd.partitions().length;
    List<Object> partitions = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      partitions.add(i);
    }
    Ranking.Partial[] parts = new Ranking.Partial[n];
    rdd.sparkContext()
        .runJob(
            rdd,
            new RankPartition(top),
            JavaConverters.asScalaBufferConverter(partitions).asScala(),
            new Keep(parts),
            ClassTag$.MODULE$.<Ranking.Partial>apply(Ranking.Partial.class));
    return Arrays.asList(parts);
  }

  /** Ranks one partition of the counts where it is (see {@link Ranking.Partial}). */
  private static final class RankPartition
      extends AbstractFunction2<
          TaskContext, scala.collection.Iterator<Tuple2<String, Long>>, Ranking.Partial>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int top;

    RankPartition(int top) {
      this.top = top;
    }

    @Override
    public Ranking.Partial apply(
        TaskContext context, scala.collection.Iterator<Tuple2<String, Long>> counts) {
      return Ranking.partial(JavaConverters.asJavaIteratorConverter(counts).asJava(), top);
    }
  }

  /** Keeps each partition's result at its index (on the driver). */
  private static final class Keep extends AbstractFunction2<Object, Ranking.Partial, BoxedUnit> {
    private final Ranking.Partial[] parts;

    Keep(Ranking.Partial[] parts) {
      this.parts = parts;
    }

    @Override
    public BoxedUnit apply(Object index, Ranking.Partial part) {
      parts[(Integer) index] = part;
      return BoxedUnit.UNIT;
    }
  }

  /**
   * The offsets of the batches read, committed once a ranking that holds them is out. Each batch's
   * offset ranges are remembered as the batch runs ({@link RememberOffsets}, an output registered
   * before the ranking's, so it runs first: a batch's outputs run in the order registered, and
   * batches one after another); the ranking output, once every sink has taken the ranking, commits
   * the last ones remembered, up to its own batch. A commit is a position, so the batches between
   * two slides are committed with the slide's. Kept on the driver; after a restart from the
   * checkpoint, the batches run again remember their offsets again.
   */
  static final class OffsetCommits implements Serializable {
    private static final long serialVersionUID = 1L;
    private final JavaInputDStream<ConsumerRecord<String, String>> stream;
    private transient volatile OffsetRange[] ranges;
    private transient volatile long rangesTime;
    private transient volatile boolean halted;

    OffsetCommits(JavaInputDStream<ConsumerRecord<String, String>> stream) {
      this.stream = stream;
    }

    void remember(OffsetRange[] batchRanges, Time time) {
      rangesTime = time.milliseconds();
      ranges = batchRanges;
    }

    /** No more commits from this driver: a ranking was not given out. */
    void halt() {
      halted = true;
    }

    /** Commits the offsets remembered, if they are of batches up to {@code time}. */
    void commitThrough(Time time) {
      OffsetRange[] r = ranges;
      if (!halted && r != null && rangesTime <= time.milliseconds()) {
        ((CanCommitOffsets) stream.inputDStream()).commitAsync(r);
      }
    }
  }

  /** Remembers each batch's offset ranges, for {@link OffsetCommits}. */
  private static final class RememberOffsets
      implements VoidFunction2<JavaRDD<ConsumerRecord<String, String>>, Time> {
    private static final long serialVersionUID = 1L;
    private final OffsetCommits commits;

    RememberOffsets(OffsetCommits commits) {
      this.commits = commits;
    }

    @Override
    public void call(JavaRDD<ConsumerRecord<String, String>> rdd, Time time) {
      commits.remember(((HasOffsetRanges) rdd.rdd()).offsetRanges(), time);
    }
  }
}
