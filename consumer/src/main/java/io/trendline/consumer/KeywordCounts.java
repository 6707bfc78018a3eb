package io.trendline.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.State;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaMapWithStateDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
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
   * Counts per key over {@code window}, every {@code slide}: {@code reduceByKeyAndWindow} with the
   * inverse function, so a batch costs what enters and leaves the window, not the whole window;
   * keys whose count falls to zero are dropped. Needs checkpointing. {@code partitions} &le; 0
   * means Spark's default parallelism.
   */
  public static JavaPairDStream<String, Long> windowed(
      JavaPairDStream<String, Long> ones, Duration window, Duration slide, int partitions) {
    if (partitions > 0) {
      return ones.reduceByKeyAndWindow(
          new Sum(), new Minus(), window, slide, partitions, new NonZero());
    }
    int defaultPartitions = ones.context().sparkContext().defaultParallelism();
    return ones.reduceByKeyAndWindow(
        new Sum(), new Minus(), window, slide, defaultPartitions, new NonZero());
  }

  /**
   * All-time totals: each key's count since the job started, kept in checkpointed keyed state
   * ({@code mapWithState} on each batch's counts); the stream is a snapshot of every key's total,
   * every batch. A key that receives nothing for {@code idleTimeout} is dropped from the state at
   * its next checkpoint (every {@code checkpointInterval}), so keys seen once do not grow it
   * forever (it starts from zero if it comes back).
   */
  public static JavaPairDStream<String, Long> totals(
      JavaPairDStream<String, Long> ones, Duration idleTimeout, Duration checkpointInterval) {
    JavaMapWithStateDStream<String, Long, Long, Long> state =
        ones.reduceByKey(new Sum())
            .mapWithState(StateSpec.function(new AddToTotal()).timeout(idleTimeout));
    // Timed-out keys are removed when the state is checkpointed: at the window's interval.
    state.checkpoint(checkpointInterval);
    return state.stateSnapshots();
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

  private static final class Sum implements Function2<Long, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long a, Long b) {
      return a + b;
    }
  }

  private static final class Minus implements Function2<Long, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long a, Long b) {
      return a - b;
    }
  }

  private static final class NonZero implements Function<Tuple2<String, Long>, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean call(Tuple2<String, Long> kv) {
      return kv._2() != 0L;
    }
  }
}
