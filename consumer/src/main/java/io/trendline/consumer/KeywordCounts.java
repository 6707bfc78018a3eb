package io.trendline.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFunction;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * read → window: the counting topology as static functions of a DStream, so that tests drive it
 * with a queue stream and a manual clock, and the application with Kafka.
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
