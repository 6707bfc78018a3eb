package io.trendline.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.State;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.dstream.DStream;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * read → window (and all-time totals): the counting topology as static functions of a DStream, so
 * that tests drive it with a queue stream and a manual clock, and the application with Kafka.
 */
public final class KeywordCounts {
  /**
   * The key under which records with a null or empty key are counted: no keyword can be it, since
   * keywords have letters or digits and this has neither.
   */
  public static final String INVALID_KEY = "\u0000";

  private KeywordCounts() {}

  /**
   * Each batch's count per key of Kafka records (null and empty keys under {@link #INVALID_KEY}),
   * partitioned as {@link #perBatch} partitions its counts: the records counted straight into each
   * input partition's sums, without a (key, 1) pair a record.
   */
  public static JavaPairDStream<String, Long> perBatchOfRecords(
      JavaDStream<ConsumerRecord<String, String>> records, Partitioner partitioner) {
    return records.transformToPair(new CountPerKey<>(partitioner, new SumRecords()));
  }

  /**
   * Each batch's count per key, partitioned as the window's and the totals' state ({@link
   * #windowed}, {@link #totals}), so that neither moves it again: summed in each input partition,
   * moved to the key's partition, summed again.
   */
  public static JavaPairDStream<String, Long> perBatch(
      JavaPairDStream<String, Long> ones, Partitioner partitioner) {
    return ones.toJavaDStream().transformToPair(new CountPerKey<>(partitioner, new SumNonZero()));
  }

  /**
   * The partitioning of the per-batch counts and of the state: {@code spec.partitions()}, or
   * Spark's default parallelism when 0. Computed once for a graph and given to {@link #perBatch}
   * (or {@link #perBatchOfRecords}) and {@link #totals} (the window's state takes the per-batch
   * counts' partitions): the default parallelism can change while executors register, and two
   * different partitionings would make the totals' state reshuffle every batch.
   */
  public static Partitioner partitioner(JavaPairDStream<?, ?> stream, WindowSpec spec) {
    return partitioner(stream.context(), spec);
  }

  /** The same, for a stream of records. */
  public static Partitioner partitioner(JavaDStream<?> stream, WindowSpec spec) {
    return partitioner(stream.context(), spec);
  }

  private static Partitioner partitioner(
      org.apache.spark.streaming.StreamingContext context, WindowSpec spec) {
    return new HashPartitioner(
        spec.partitions() > 0 ? spec.partitions() : context.sparkContext().defaultParallelism());
  }

  /**
   * Counts per key over the window, every slide: the window kept as state of its own ({@link
   * WindowStateDStream}), one {@link WindowCounts} per partition, which each slide advances by the
   * slide's batches (each added, and the batch leaving the window taken away, touching only their
   * keys); a key whose count falls to zero is forgotten. A slide therefore costs what enters and
   * leaves, plus a memory copy of the key table ({@link WindowCounts}), not a merge of the window.
   * Exact: the same counts as summing the window's batches.
   *
   * <p>{@code perBatch} is {@link #perBatch} or {@link #perBatchOfRecords}: its partitioning is the
   * state's, so no shuffle. The state holds the counts of the window's batches as well as their
   * sums, so a batch is read once; it stays in memory as objects and is checkpointed every {@code
   * spec.checkpointInterval()}, and a driver restarted on the checkpoint resumes from the state and
   * re-reads from Kafka only the batches after it.
   */
  public static JavaPairDStream<String, Long> windowed(
      JavaPairDStream<String, Long> perBatch, WindowSpec spec) {
    WindowStateDStream state = new WindowStateDStream(perBatch.dstream(), spec);
    return JavaDStream.fromDStream(state, ClassTag$.MODULE$.<WindowCounts>apply(WindowCounts.class))
        .flatMapToPair(new Entries());
  }

  /** A partition's window as (key, count) pairs. */
  private static final class Entries implements PairFlatMapFunction<WindowCounts, String, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<String, Long>> call(WindowCounts window) {
      return window.iterator();
    }
  }

  /**
   * A batch's count per key, partitioned for the state. The same as {@code reduceByKey}, without
   * Spark's spillable maps, whose size sampling costs more than the summing at these sizes (a
   * batch's partition of keys fits in memory), and, with at most 200 partitions, through Spark's
   * bypass shuffle writer, which neither sorts nor samples.
   */
  private static final class CountPerKey<T>
      implements Function<JavaRDD<T>, JavaPairRDD<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final Partitioner partitioner;
    private final PairFlatMapFunction<Iterator<T>, String, Long> sum;

    /** {@code sum}: an input partition's count per key. */
    CountPerKey(Partitioner partitioner, PairFlatMapFunction<Iterator<T>, String, Long> sum) {
      this.partitioner = partitioner;
      this.sum = sum;
    }

    @Override
    public JavaPairRDD<String, Long> call(JavaRDD<T> in) {
      if (partitioner.numPartitions() == 1) {
        if (in.getNumPartitions() == 0) {
          // A batch of no partitions (a stream with nothing assigned) still counts as a batch.
          return JavaSparkContext.fromSparkContext(in.context())
              .parallelizePairs(Collections.<Tuple2<String, Long>>emptyList(), 1);
        }
        // One partition: one task reads every input partition of the batch and sums as it goes
        // (a narrow dependency), so the batch is one stage, with no shuffle files written.
        return in.coalesce(1).mapPartitionsToPair(sum);
      }
      return in.mapPartitionsToPair(sum)
          .partitionBy(partitioner)
          .mapPartitionsToPair(new SumNonZero(), true);
    }
  }

  /** Counts a partition's records per key (null and empty keys as {@link #INVALID_KEY}). */
  private static final class SumRecords
      implements PairFlatMapFunction<Iterator<ConsumerRecord<String, String>>, String, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<String, Long>> call(Iterator<ConsumerRecord<String, String>> in) {
      Map<String, long[]> sums = new HashMap<>();
      while (in.hasNext()) {
        add(sums, keyOf(in.next().key()), 1L);
      }
      return nonZero(sums);
    }
  }

  /** Sums a partition's values per key (a plain map: a slide's difference is small), zeros out. */
  private static final class SumNonZero
      implements PairFlatMapFunction<Iterator<Tuple2<String, Long>>, String, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<String, Long>> call(Iterator<Tuple2<String, Long>> in) {
      Map<String, long[]> sums = new HashMap<>();
      while (in.hasNext()) {
        Tuple2<String, Long> kv = in.next();
        add(sums, kv._1(), kv._2());
      }
      return nonZero(sums);
    }
  }

  /** Adds {@code n} to {@code key}'s sum (a mutable cell: no boxed Long a record). */
  private static void add(Map<String, long[]> sums, String key, long n) {
    long[] sum = sums.get(key);
    if (sum == null) {
      sums.put(key, new long[] {n});
    } else {
      sum[0] += n;
    }
  }

  /** The sums that are not zero, as (key, sum) pairs. */
  private static Iterator<Tuple2<String, Long>> nonZero(Map<String, long[]> sums) {
    List<Tuple2<String, Long>> out = new ArrayList<>(sums.size());
    for (Map.Entry<String, long[]> e : sums.entrySet()) {
      if (e.getValue()[0] != 0L) {
        out.add(new Tuple2<>(e.getKey(), e.getValue()[0]));
      }
    }
    return out.iterator();
  }

  /**
   * All-time totals: each key's count since the job started, kept in checkpointed keyed state
   * ({@code mapWithState} on each batch's counts, {@code perBatch} = {@link #perBatch} or {@link
   * #perBatchOfRecords} with the same {@code partitioner}, so the window and the totals count a
   * batch once); the stream is a snapshot of every key's total, every batch. A key that receives
   * nothing for {@code idleTimeout} is dropped from the state at its next checkpoint (every {@code
   * spec.checkpointInterval()}), so keys seen once do not grow it forever (it starts from zero if
   * it comes back).
   *
   * <p>{@code perBatch} is then read twice a batch, by the window and by the totals, and is kept in
   * memory for it: with one partition it is computed from the batch's records directly (no shuffle
   * whose output both could read), which would otherwise read the batch from Kafka twice.
   */
  public static JavaPairDStream<String, Long> totals(
      JavaPairDStream<String, Long> perBatch,
      WindowSpec spec,
      Partitioner partitioner,
      Duration idleTimeout) {
    perBatch.persist(StorageLevel.MEMORY_ONLY());
    JavaMapWithStateDStream<String, Long, Long, Long> state =
        perBatch.mapWithState(
            StateSpec.function(new AddToTotal()).partitioner(partitioner).timeout(idleTimeout));
    // Timed-out keys are removed when the state is checkpointed: at the window's interval.
    checkpointKeepingStateInMemory(state, spec.checkpointInterval());
    return state.stateSnapshots();
  }

  /**
   * Checkpoints {@code state} every {@code interval} and keeps it in memory as objects, as {@code
   * mapWithState} does by default. {@code checkpoint} on a DStream also sets its storage to
   * serialized memory, which for keyed state means writing every key and reading it back twice
   * (next update, ranking) every batch: most of a slide's cost. The state is this stream's only
   * dependency.
   */
  static void checkpointKeepingStateInMemory(
      JavaMapWithStateDStream<String, Long, Long, Long> state, Duration interval) {
    state.checkpoint(interval);
    scala.collection.immutable.List<DStream<?>> deps = state.dstream().dependencies();
    if (deps.size() != 1) {
      throw new IllegalStateException("expected mapWithState over one state stream: " + deps);
    }
    deps.head().persist(StorageLevel.MEMORY_ONLY());
  }

  /** Adds a batch's count to the key's total; a timing-out key just goes. */
  private static final class AddToTotal
      implements Function3<String, Optional<Long>, State<Long>, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(String key, Optional<Long> count, State<Long> total) {
      if (total.isTimingOut()) {
        return 0L;
      }
      long sum = (total.exists() ? total.get() : 0L) + (count.isPresent() ? count.get() : 0L);
      total.update(sum);
      return sum;
    }
  }

  static String keyOf(String key) {
    return key == null || key.isEmpty() ? INVALID_KEY : key;
  }
}
