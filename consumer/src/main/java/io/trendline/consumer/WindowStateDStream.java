package io.trendline.consumer;

import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.dstream.DStream;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag$;

/**
 * The window's state as a stream: at each slide, one {@link WindowCounts} per partition, the
 * previous slide's advanced by each batch of the slide (zipped partition by partition with that
 * batch's counts, which are partitioned as the state: no shuffle). Kept in memory as objects and
 * checkpointed every {@code checkpointInterval}; a driver restarted on the checkpoint takes the
 * last checkpointed state and advances it by the batches after it, re-read from Kafka, as Spark's
 * own stateful streams do ({@code updateStateByKey}, {@code mapWithState}). The batches leaving the
 * window are in the state itself, so they are never read again.
 *
 * <p>It is a {@link DStream} of its own because the public API has no stream whose each RDD is made
 * from its own previous one; it reads that previous RDD and its parent's with {@code getOrCompute},
 * the method Spark's own streams use (public in the bytecode, Spark-internal in Scala), present and
 * unchanged in Spark 2.4 and 3.5.
 */
final class WindowStateDStream extends DStream<WindowCounts> {
  private static final long serialVersionUID = 1L;

  /** The name of each state RDD, followed by its time (as in Spark's UI). */
  static final String NAME = "window counts at ";

  private final DStream<Tuple2<String, Long>> perBatch;
  private final Duration slide;
  private final Duration batch;
  private final int batchesInWindow;

  /**
   * @param perBatch each batch's count per key, partitioned as the state is to be, its slide the
   *     batch interval
   */
  WindowStateDStream(DStream<Tuple2<String, Long>> perBatch, WindowSpec spec) {
    super(perBatch.context(), ClassTag$.MODULE$.<WindowCounts>apply(WindowCounts.class));
    this.perBatch = perBatch;
    this.slide = spec.slide();
    this.batch = perBatch.slideDuration();
    long length = spec.length().milliseconds();
    if (length % batch.milliseconds() != 0 || slide.milliseconds() % batch.milliseconds() != 0) {
      throw new IllegalArgumentException(
          spec + ": the window and the slide must be multiples of the batch interval " + batch);
    }
    this.batchesInWindow = (int) (length / batch.milliseconds());
    checkpoint(spec.checkpointInterval());
    // checkpoint() also sets serialized storage, which would write and read back every key of the
    // window at every slide: the state stays in memory as objects.
    persist(StorageLevel.MEMORY_ONLY());
  }

  @Override
  public Duration slideDuration() {
    return slide;
  }

  @Override
  public scala.collection.immutable.List<DStream<?>> dependencies() {
    return JavaConverters.asScalaBufferConverter(Collections.<DStream<?>>singletonList(perBatch))
        .asScala()
        .toList();
  }

  @Override
  public Option<RDD<WindowCounts>> compute(Time time) {
    Option<RDD<WindowCounts>> previous = getOrCompute(time.minus(slide));
    JavaRDD<WindowCounts> state = previous.isDefined() ? previous.get().toJavaRDD() : null;
    // The slide's batches, oldest first: (time - slide, time].
    for (Time t = time.minus(slide).plus(batch); t.lessEq(time); t = t.plus(batch)) {
      Option<RDD<Tuple2<String, Long>>> counts = perBatch.getOrCompute(t);
      if (counts.isEmpty()) {
        throw new IllegalStateException("no counts for the batch at " + t + " in " + this);
      }
      JavaRDD<Tuple2<String, Long>> batchCounts = counts.get().toJavaRDD();
      state =
          state == null
              ? batchCounts.mapPartitions(new First(batchesInWindow), false)
              : state.zipPartitions(batchCounts, new Advance());
    }
    return Option.apply(state.setName(NAME + time).rdd());
  }

  /**
   * After each batch: Spark keeps a checkpointed stream's RDDs for two checkpoint intervals (20
   * states at the defaults), and each state holds its own copy of the key table (the batches in its
   * ring are shared). Once a newer state is made, an older one is needed only to rebuild a lost
   * partition, which its lineage back to the last checkpoint can do: every state older than the
   * newest one up to {@code time} leaves the cache now. So the window holds one or two tables in
   * memory, not twenty. (Spark's own bookkeeping is left as it is: the RDDs stay known to the
   * stream until Spark forgets them.)
   */
  @Override
  public void clearMetadata(Time time) {
    super.clearMetadata(time);
    if (!context().sparkContext().getConf().getBoolean("spark.streaming.unpersist", true)) {
      return; // told to leave RDDs cached until Spark forgets them
    }
    Time newest = null;
    scala.collection.Iterator<Time> times = generatedRDDs().keysIterator();
    while (times.hasNext()) {
      Time t = times.next();
      if (t.lessEq(time) && (newest == null || t.greater(newest))) {
        newest = t;
      }
    }
    if (newest == null) {
      return;
    }
    scala.collection.Iterator<Tuple2<Time, RDD<WindowCounts>>> states = generatedRDDs().iterator();
    while (states.hasNext()) {
      Tuple2<Time, RDD<WindowCounts>> state = states.next();
      if (state._1().less(newest) && !state._2().getStorageLevel().equals(StorageLevel.NONE())) {
        state._2().unpersist(false);
      }
    }
  }

  /** The first slide: an empty window advanced by the batch. */
  private static final class First
      implements FlatMapFunction<Iterator<Tuple2<String, Long>>, WindowCounts> {
    private static final long serialVersionUID = 1L;
    private final int batches;

    First(int batches) {
      this.batches = batches;
    }

    @Override
    public Iterator<WindowCounts> call(Iterator<Tuple2<String, Long>> counts) {
      return Collections.singletonList(WindowCounts.empty(batches).advance(counts)).iterator();
    }
  }

  /** A partition's window advanced by the batch's counts of the same partition. */
  private static final class Advance
      implements FlatMapFunction2<
          Iterator<WindowCounts>, Iterator<Tuple2<String, Long>>, WindowCounts> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<WindowCounts> call(
        Iterator<WindowCounts> state, Iterator<Tuple2<String, Long>> counts) {
      if (!state.hasNext()) {
        throw new IllegalStateException("a partition of the window's state is missing");
      }
      return Collections.singletonList(state.next().advance(counts)).iterator();
    }
  }
}
