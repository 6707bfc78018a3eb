package io.trendline.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.State;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.dstream.DStream;
import scala.Tuple2;

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

  /** Each record as (keyword, 1), null and empty keys as ({@link #INVALID_KEY}, 1). */
  public static JavaPairDStream<String, Long> ones(
      JavaDStream<ConsumerRecord<String, String>> records) {
    return records.mapToPair(new KeyOne());
  }

  /**
   * Each batch's count per key, partitioned as the window's and the totals' state ({@link
   * #windowed}, {@link #totals}), so that neither moves it again: summed in each input partition,
   * moved to the key's partition, summed again.
   */
  public static JavaPairDStream<String, Long> perBatch(
      JavaPairDStream<String, Long> ones, Partitioner partitioner) {
    return ones.transformToPair(new CountPerKey(partitioner));
  }

  /**
   * The partitioning of the per-batch counts and of the keyed state: {@code spec.partitions()}, or
   * Spark's default parallelism when 0. Computed once for a graph and given to {@link #perBatch},
   * {@link #windowed} and {@link #totals}: the default parallelism can change while executors
   * register, and two different partitionings would make the state reshuffle every batch.
   */
  public static Partitioner partitioner(JavaPairDStream<?, ?> stream, WindowSpec spec) {
    return new HashPartitioner(
        spec.partitions() > 0
            ? spec.partitions()
            : stream.context().sparkContext().defaultParallelism());
  }

  /**
   * Counts per key over the window, every slide, kept as keyed state: each slide adds the counts of
   * the batches entering the window and subtracts those of the batches leaving it ({@code
   * mapWithState} on that difference), and a key whose count falls to zero is removed. A slide
   * therefore costs what enters and leaves, not the window's size: unlike Spark's {@code
   * reduceByKeyAndWindow} with an inverse function, the window's counts are not re-merged, re-sized
   * and re-serialized every slide. Exact: the same counts as summing the window's batches.
   *
   * <p>{@code perBatch} is {@link #perBatch} with the same {@code partitioner}. Each batch's counts
   * are kept (serialized, in memory) for the window's length plus a slide, to be subtracted when
   * they leave; the state is checkpointed every {@code spec.checkpointInterval()}, so a driver
   * restarted on the checkpoint resumes from the state and re-reads from Kafka only the batches
   * after it (and those leaving the window meanwhile), as Spark's own window does.
   */
  public static JavaPairDStream<String, Long> windowed(
      JavaPairDStream<String, Long> perBatch, WindowSpec spec, Partitioner partitioner) {
    Duration batch = perBatch.dstream().slideDuration();
    // What enters at each slide: the batches of the slide (one batch when slide = batch).
    JavaPairDStream<String, Long> entering = perBatch.window(spec.slide(), spec.slide());
    // Never read: it makes each batch's counts be remembered until they have left the window.
    JavaPairDStream<String, Long> kept =
        perBatch.window(spec.length().plus(spec.slide()), spec.slide());
    JavaPairDStream<String, Long> delta =
        entering.transformWithToPair(
            kept, new EnterAndLeave(perBatch, spec.length(), spec.slide(), batch));
    JavaMapWithStateDStream<String, Long, Long, Long> state =
        delta.mapWithState(StateSpec.function(new AddDelta()).partitioner(partitioner));
    checkpointKeepingStateInMemory(state, spec.checkpointInterval());
    return state.stateSnapshots();
  }

  /**
   * At slide time t: the counts entering (the batches of (t - slide, t]) minus those leaving (the
   * batches of (t - window - slide, t - window]), summed per key, zeros dropped. Partitioned as the
   * state, so no shuffle.
   */
  private static final class EnterAndLeave
      implements Function3<
          JavaPairRDD<String, Long>, JavaPairRDD<String, Long>, Time, JavaPairRDD<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final JavaPairDStream<String, Long> perBatch;
    private final Duration window;
    private final Duration slide;
    private final Duration batch;

    EnterAndLeave(
        JavaPairDStream<String, Long> perBatch, Duration window, Duration slide, Duration batch) {
      this.perBatch = perBatch;
      this.window = window;
      this.slide = slide;
      this.batch = batch;
    }

    @Override
    public JavaPairRDD<String, Long> call(
        JavaPairRDD<String, Long> entering, JavaPairRDD<String, Long> kept, Time time) {
      Time lastLeaving = time.minus(window);
      List<JavaPairRDD<String, Long>> leaving =
          perBatch.slice(lastLeaving.minus(slide).plus(batch), lastLeaving);
      JavaPairRDD<String, Long> all = entering;
      for (JavaPairRDD<String, Long> gone : leaving) {
        all = all.union(gone.mapValues(new Negate()));
      }
      return all.mapPartitionsToPair(new SumNonZero(), true);
    }
  }

  /**
   * A batch's count per key, partitioned for the state. The same as {@code reduceByKey}, without
   * Spark's spillable maps, whose size sampling costs more than the summing at these sizes (a
   * batch's partition of keys fits in memory), and, with at most 200 partitions, through Spark's
   * bypass shuffle writer, which neither sorts nor samples.
   */
  private static final class CountPerKey
      implements Function<JavaPairRDD<String, Long>, JavaPairRDD<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final Partitioner partitioner;

    CountPerKey(Partitioner partitioner) {
      this.partitioner = partitioner;
    }

    @Override
    public JavaPairRDD<String, Long> call(JavaPairRDD<String, Long> ones) {
      return ones.mapPartitionsToPair(new SumNonZero())
          .partitionBy(partitioner)
          .mapPartitionsToPair(new SumNonZero(), true);
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
        long[] sum = sums.get(kv._1());
        if (sum == null) {
          sums.put(kv._1(), new long[] {kv._2()});
        } else {
          sum[0] += kv._2();
        }
      }
      List<Tuple2<String, Long>> out = new ArrayList<>(sums.size());
      for (Map.Entry<String, long[]> e : sums.entrySet()) {
        if (e.getValue()[0] != 0L) {
          out.add(new Tuple2<>(e.getKey(), e.getValue()[0]));
        }
      }
      return out.iterator();
    }
  }

  /** A key's window count plus a slide's difference; at zero the key leaves the state. */
  private static final class AddDelta
      implements Function3<String, Optional<Long>, State<Long>, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(String key, Optional<Long> delta, State<Long> count) {
      long sum = (count.exists() ? count.get() : 0L) + (delta.isPresent() ? delta.get() : 0L);
      if (sum == 0L) {
        if (count.exists()) {
          count.remove();
        }
      } else {
        count.update(sum);
      }
      return sum;
    }
  }

  private static final class Negate implements Function<Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long n) {
      return -n;
    }
  }

  /**
   * All-time totals: each key's count since the job started, kept in checkpointed keyed state
   * ({@code mapWithState} on each batch's counts, {@code perBatch} = {@link #perBatch} with the
   * same {@code partitioner}, so the window and the totals count a batch once); the stream is a
   * snapshot of every key's total, every batch. A key that receives nothing for {@code idleTimeout}
   * is dropped from the state at its next checkpoint (every {@code spec.checkpointInterval()}), so
   * keys seen once do not grow it forever (it starts from zero if it comes back).
   */
  public static JavaPairDStream<String, Long> totals(
      JavaPairDStream<String, Long> perBatch,
      WindowSpec spec,
      Partitioner partitioner,
      Duration idleTimeout) {
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

  private static final class KeyOne
      implements PairFunction<ConsumerRecord<String, String>, String, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<String, Long> call(ConsumerRecord<String, String> record) {
      return new Tuple2<>(keyOf(record.key()), 1L);
    }
  }

  static String keyOf(String key) {
    return key == null || key.isEmpty() ? INVALID_KEY : key;
  }
}
