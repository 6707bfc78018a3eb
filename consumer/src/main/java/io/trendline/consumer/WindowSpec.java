package io.trendline.consumer;

import java.io.Serializable;
import org.apache.spark.streaming.Duration;

/**
 * The shape of the counting window: its length, how often it slides, how many partitions hold its
 * counts and how often its state is checkpointed. Immutable; the length, the slide and the
 * checkpoint interval must be multiples of the context's batch interval, which Spark checks when
 * the context starts.
 */
public final class WindowSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long lengthMs;
  private final long slideMs;
  private final long checkpointMs;
  private final int partitions;

  private WindowSpec(long lengthMs, long slideMs, long checkpointMs, int partitions) {
    if (lengthMs <= 0 || slideMs <= 0 || checkpointMs <= 0) {
      throw new IllegalArgumentException(
          "window "
              + lengthMs
              + " ms, slide "
              + slideMs
              + " ms, checkpoint interval "
              + checkpointMs
              + " ms: each must be positive");
    }
    this.lengthMs = lengthMs;
    this.slideMs = slideMs;
    this.checkpointMs = checkpointMs;
    this.partitions = partitions;
  }

  /**
   * A window of {@code length} sliding every {@code slide}, on Spark's default parallelism, its
   * state checkpointed every 10 slides (Spark's advice for stateful streams).
   */
  public static WindowSpec of(Duration length, Duration slide) {
    return new WindowSpec(
        length.milliseconds(), slide.milliseconds(), 10 * slide.milliseconds(), 0);
  }

  /** The same window with its counts in {@code n} partitions; 0 or less: Spark's default. */
  public WindowSpec partitions(int n) {
    return new WindowSpec(lengthMs, slideMs, checkpointMs, n);
  }

  /** The same window with its state checkpointed every {@code interval}. */
  public WindowSpec checkpointEvery(Duration interval) {
    return new WindowSpec(lengthMs, slideMs, interval.milliseconds(), partitions);
  }

  public Duration length() {
    return new Duration(lengthMs);
  }

  public Duration slide() {
    return new Duration(slideMs);
  }

  public Duration checkpointInterval() {
    return new Duration(checkpointMs);
  }

  /** 0 or less: Spark's default parallelism. */
  public int partitions() {
    return partitions;
  }

  @Override
  public String toString() {
    return "window "
        + lengthMs
        + " ms, slide "
        + slideMs
        + " ms, checkpoint every "
        + checkpointMs
        + " ms, "
        + (partitions > 0 ? partitions + " partitions" : "default partitions");
  }
}
