package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.util.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The window semantics, deterministic: a manual clock moves only when the test says so, a queue
 * stream feeds one prepared batch per tick, and each ranking is awaited from a queue (never a
 * sleep).
 */
class WindowedCountsIT {
  /** Rankings from the sink, in batch order. Static: the sink is serialized with the graph. */
  static final BlockingQueue<Ranking> RANKINGS = new LinkedBlockingQueue<>();

  static final class QueueSink implements RankingSink {
    private static final long serialVersionUID = 1L;

    @Override
    public void accept(Ranking ranking) {
      RANKINGS.add(ranking);
    }
  }

  /** Passes each record on, counting the reads of the batches' records. */
  static final class CountReads
      implements org.apache.spark.api.java.function.PairFunction<
          Tuple2<String, Long>, String, Long> {
    private static final long serialVersionUID = 1L;
    private final org.apache.spark.util.LongAccumulator reads;

    CountReads(org.apache.spark.util.LongAccumulator reads) {
      this.reads = reads;
    }

    @Override
    public Tuple2<String, Long> call(Tuple2<String, Long> record) {
      reads.add(1);
      return record;
    }
  }

  @TempDir Path checkpoint;
  private org.apache.spark.util.LongAccumulator reads;
  private JavaStreamingContext jssc;

  @AfterEach
  void stop() {
    if (jssc != null) {
      jssc.stop(true, false);
    }
    RANKINGS.clear();
  }

  private ConsumerSettings settings(String window, String top) {
    return settings(window, top, "1s", 1);
  }

  /**
   * With 1 partition (the default) a batch is one task, with no shuffle; with more, the batch's
   * counts move by key to that many partitions of the state.
   */
  private ConsumerSettings settings(String window, String top, String slide, int partitions) {
    return ConsumerSettings.load(
        new String[] {
          "--checkpoint.dir",
          checkpoint.toString(),
          "--window",
          window,
          "--top",
          top,
          "--slide",
          slide,
          "--checkpoint.interval",
          "4s",
          "--partitions",
          String.valueOf(partitions)
        },
        Collections.<String, String>emptyMap());
  }

  /** Starts the graph on a queue of prepared batches (one per tick) under a manual clock. */
  private ManualClock start(ConsumerSettings s, List<List<String>> batches) {
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("window-test")
            .set("spark.driver.host", "127.0.0.1")
            .set("spark.ui.enabled", "false")
            .set("spark.streaming.clock", "org.apache.spark.util.ManualClock");
    jssc = new JavaStreamingContext(conf, new Duration(s.batchMs()));
    jssc.checkpoint(s.checkpointDir());
    Queue<JavaRDD<Tuple2<String, Long>>> queue = new LinkedList<>();
    for (List<String> batch : batches) {
      if (batch == null) {
        // A batch of no partitions at all (a stream with nothing assigned).
        queue.add(jssc.sparkContext().<Tuple2<String, Long>>emptyRDD());
        continue;
      }
      List<Tuple2<String, Long>> ones = new ArrayList<>();
      for (String key : batch) {
        ones.add(new Tuple2<>(KeywordCounts.keyOf(key), 1L));
      }
      queue.add(jssc.sparkContext().parallelize(ones, 2));
    }
    WindowSpec window = s.windowSpec();
    reads = jssc.sparkContext().sc().longAccumulator("records read");
    JavaPairDStream<String, Long> ones =
        jssc.queueStream(queue, true).mapToPair(new CountReads(reads));
    if (s.totalsIdleTimeout() == null) {
      TrendsGraph.rankAndSink(
          TrendsGraph.window(ones, window),
          window,
          s.top(),
          Collections.<RankingSink>singletonList(new QueueSink()),
          new LastBatchTime());
    } else {
      org.apache.spark.Partitioner partitioner = KeywordCounts.partitioner(ones, window);
      JavaPairDStream<String, Long> perBatch = KeywordCounts.perBatch(ones, partitioner);
      TrendsGraph.rankAndSink(
          KeywordCounts.windowed(perBatch, window),
          KeywordCounts.totals(perBatch, window, partitioner, s.totalsIdleTimeout()),
          window,
          s.top(),
          Collections.<RankingSink>singletonList(new QueueSink()),
          new LastBatchTime());
    }
    jssc.start();
    return (ManualClock) jssc.ssc().scheduler().clock();
  }

  private static Ranking tick(ManualClock clock, long ms) throws InterruptedException {
    clock.advance(ms);
    Ranking r = RANKINGS.poll(60, TimeUnit.SECONDS);
    assertNotNull(r, "a ranking per slide");
    return r;
  }

  private static String rows(Ranking r) {
    return r.top.toString();
  }

  @Test
  void totalsOutliveTheWindowAndAnIdleKeywordLeavesThem() throws Exception {
    totalsOutliveTheWindowAndAnIdleKeywordLeavesThem(1);
  }

  @Test
  void totalsOutliveTheWindowAndAnIdleKeywordLeavesThemOnTwoPartitions() throws Exception {
    totalsOutliveTheWindowAndAnIdleKeywordLeavesThem(2);
  }

  private void totalsOutliveTheWindowAndAnIdleKeywordLeavesThem(int partitions) throws Exception {
    List<List<String>> batches = new ArrayList<>();
    batches.add(Arrays.asList("a", "b", "b"));
    for (int i = 1; i < 30; i++) {
      batches.add(Arrays.asList("a"));
    }
    ConsumerSettings s =
        ConsumerSettings.load(
            new String[] {
              "--checkpoint.dir",
              checkpoint.toString(),
              "--window",
              "3s",
              "--checkpoint.interval",
              "3s",
              "--totals",
              "true",
              "--totals.idle.timeout",
              "4s",
              "--partitions",
              String.valueOf(partitions)
            },
            Collections.<String, String>emptyMap());
    ManualClock clock = start(s, batches);
    String[] window = {"[b=2, a=1]", "[a=2, b=2]", "[a=3, b=2]", "[a=3]"};
    String[] totals = {"[b=2, a=1]", "[a=2, b=2]", "[a=3, b=2]", "[a=4, b=2]"};
    for (int t = 1; t <= 4; t++) {
      Ranking r = tick(clock, 1000);
      assertEquals(window[t - 1], rows(r), "window at t=" + t);
      assertEquals(totals[t - 1], r.totals.toString(), "totals at t=" + t + ": b outlives it");
    }
    Ranking r = tick(clock, 1000);
    assertEquals("[a=5, b=2]", r.totals.toString(), "at t=5 b is not past its 4 s timeout yet");
    for (int t = 6; t <= 30; t++) {
      r = tick(clock, 1000);
      assertEquals(t, r.totals.get(0).count, "a's total at t=" + t);
      if (t >= 9) {
        // Checkpoints (every 3 s) at t=6 and t=9: b has gone at one of them.
        assertEquals(1, r.totals.size(), "b has left the totals by t=" + t);
      }
    }
    assertEquals("[a=30]", r.totals.toString(), "b, idle past the timeout, has left the totals");
    assertEquals(30, r.totalsRecords);
    assertEquals(1, r.totalsKeys);
    assertEquals(32, reads.value(), "each record read once, for both the window and the totals");
  }

  @Test
  void countsAddUpSlideAndExpireExactlyWhenTheirBatchLeavesTheWindow() throws Exception {
    countsAddUpSlideAndExpireExactlyWhenTheirBatchLeavesTheWindow(1);
  }

  @Test
  void countsAddUpSlideAndExpireExactlyWhenTheirBatchLeavesTheWindowOnTwoPartitions()
      throws Exception {
    countsAddUpSlideAndExpireExactlyWhenTheirBatchLeavesTheWindow(2);
  }

  private void countsAddUpSlideAndExpireExactlyWhenTheirBatchLeavesTheWindow(int partitions)
      throws Exception {
    List<List<String>> batches =
        Arrays.asList(
            Arrays.asList("a", "a", "b"),
            Arrays.asList("a"),
            Collections.<String>emptyList(),
            Arrays.asList("c"),
            Collections.<String>emptyList(),
            Collections.<String>emptyList(),
            Collections.<String>emptyList(),
            Collections.<String>emptyList(),
            Collections.<String>emptyList());
    ManualClock clock = start(settings("5s", "10", "1s", partitions), batches);
    String[] expected = {
      "[a=2, b=1]", // t=1: batch 1
      "[a=3, b=1]", // t=2
      "[a=3, b=1]", // t=3
      "[a=3, b=1, c=1]", // t=4
      "[a=3, b=1, c=1]", // t=5: the window holds batches 1..5
      "[a=1, c=1]", // t=6: batch 1 left
      "[c=1]", // t=7: batch 2 left; a fell to zero and is gone
      "[c=1]", // t=8
      "[]" // t=9: batch 4 left; nothing remains
    };
    for (int i = 0; i < expected.length; i++) {
      Ranking r = tick(clock, 1000);
      assertEquals((i + 1) * 1000L, r.batchTime);
      assertEquals(expected[i], rows(r), "at t=" + (i + 1));
      assertEquals(r.top.size(), r.keys, "keys at zero are dropped, not kept as zero rows");
      // Only the newest states stay cached (this one, the one before it, and the one before that
      // while the last batch's clean-up runs), not two checkpoint intervals' worth (8 here).
      assertTrue(cachedStates() <= 3, "cached states at t=" + (i + 1) + ": " + cachedStates());
    }
    // The window's state stays in memory as objects: a serialized level (what checkpoint() sets)
    // would write and read back every key of the window at every slide.
    // (An old batch's state may be released while this looks: its level is then NONE.)
    int states = 0;
    for (JavaRDD<?> rdd : jssc.sparkContext().getPersistentRDDs().values()) {
      StorageLevel level = rdd.getStorageLevel();
      if (rdd.name() != null
          && rdd.name().startsWith(WindowStateDStream.NAME)
          && !level.equals(StorageLevel.NONE())) {
        states++;
        assertEquals(StorageLevel.MEMORY_ONLY(), level, rdd.toString());
      }
    }
    assertTrue(states > 0, "the window's state RDDs are cached");
    // One partition: the batch's counts come from its input without a shuffle. (A state just
    // checkpointed has no lineage left: any shuffle is in those that are not.)
    boolean shuffled = false;
    for (JavaRDD<?> rdd : jssc.sparkContext().getPersistentRDDs().values()) {
      if (rdd.name() != null && rdd.name().startsWith(WindowStateDStream.NAME)) {
        assertEquals(partitions, rdd.getNumPartitions(), rdd.name());
        shuffled |= rdd.toDebugString().contains("ShuffledRDD");
      }
    }
    assertEquals(partitions > 1, shuffled, "a shuffle with more than one partition only");
  }

  /** The window's state RDDs cached now. */
  private int cachedStates() {
    int n = 0;
    for (JavaRDD<?> rdd : jssc.sparkContext().getPersistentRDDs().values()) {
      if (rdd.name() != null
          && rdd.name().startsWith(WindowStateDStream.NAME)
          && !rdd.getStorageLevel().equals(StorageLevel.NONE())) {
        n++;
      }
    }
    return n;
  }

  @Test
  void theDefaultWindowHoldsARecordForExactlyThreeHundredSeconds() throws Exception {
    List<List<String>> batches = new ArrayList<>();
    batches.add(Arrays.asList("bitcoin", "IoT", "bitcoin"));
    for (int i = 1; i < 302; i++) {
      batches.add(Collections.<String>emptyList());
    }
    ManualClock clock = start(settings("300s", "10"), batches);
    for (int t = 1; t <= 300; t++) {
      Ranking r = tick(clock, 1000);
      assertEquals("[bitcoin=2, IoT=1]", rows(r), "at t=" + t);
      assertEquals(300_000L, r.windowMs);
    }
    assertEquals("[]", rows(tick(clock, 1000)), "at t=301 the first batch has left");
  }

  @Test
  void aSlideOfTwoBatchesRanksEveryOtherBatchOverTheWholeWindow() throws Exception {
    aSlideOfTwoBatchesRanksEveryOtherBatchOverTheWholeWindow(1);
  }

  @Test
  void aSlideOfTwoBatchesRanksEveryOtherBatchOverTheWholeWindowOnTwoPartitions() throws Exception {
    aSlideOfTwoBatchesRanksEveryOtherBatchOverTheWholeWindow(2);
  }

  private void aSlideOfTwoBatchesRanksEveryOtherBatchOverTheWholeWindow(int partitions)
      throws Exception {
    List<List<String>> batches =
        Arrays.asList(
            Arrays.asList("a"),
            Arrays.asList("a", "b"),
            Arrays.asList("b"),
            Collections.<String>emptyList(),
            Arrays.asList("c"),
            Collections.<String>emptyList(),
            Collections.<String>emptyList(),
            Collections.<String>emptyList());
    ManualClock clock = start(settings("4s", "10", "2s", partitions), batches);
    clock.advance(1000); // t=1: no ranking between slides
    String[] expected = {
      "[a=2, b=1]", // t=2: batches 1-2 (the window has not filled)
      "[a=2, b=2]", // t=4: batches 1-4
      "[b=1, c=1]", // t=6: batches 3-6
      "[c=1]" // t=8: batches 5-8
    };
    for (int i = 0; i < expected.length; i++) {
      Ranking r = tick(clock, i == 0 ? 1000 : 2000);
      assertEquals((i + 1) * 2000L, r.batchTime);
      assertEquals(expected[i], rows(r), "at t=" + r.batchTime);
    }
  }

  @Test
  void aWindowOfThreeBatchesSlidingByTwoCountsExactlyEvenPastTheLastBatch() throws Exception {
    aWindowOfThreeBatchesSlidingByTwoCountsExactlyEvenPastTheLastBatch(1);
  }

  @Test
  void aWindowOfThreeBatchesSlidingByTwoCountsExactlyEvenPastTheLastBatchOnTwoPartitions()
      throws Exception {
    aWindowOfThreeBatchesSlidingByTwoCountsExactlyEvenPastTheLastBatch(2);
  }

  /**
   * A window that is not a whole number of slides, a batch of no partitions at all, and batches
   * past the end of the queue (which then gives an empty batch): all count exactly.
   */
  private void aWindowOfThreeBatchesSlidingByTwoCountsExactlyEvenPastTheLastBatch(int partitions)
      throws Exception {
    List<List<String>> batches =
        Arrays.asList(Arrays.asList("a"), Arrays.asList("b"), null, Arrays.asList("c", "d"));
    ManualClock clock = start(settings("3s", "10", "2s", partitions), batches);
    clock.advance(1000);
    String[] expected = {
      "[a=1, b=1]", // t=2: batches 1-2
      "[b=1, c=1, d=1]", // t=4: batches 2-4 (3 has no partitions)
      "[c=1, d=1]", // t=6: batches 4-6, the queue dry after batch 4
      "[]" // t=8: batches 6-8
    };
    for (int i = 0; i < expected.length; i++) {
      Ranking r = tick(clock, i == 0 ? 1000 : 2000);
      assertEquals((i + 1) * 2000L, r.batchTime);
      assertEquals(expected[i], rows(r), "at t=" + r.batchTime);
    }
  }

  @Test
  void aKeyIdleForAWholeWindowIsForgottenAndCountedAfreshWhenItReturns() throws Exception {
    List<List<String>> batches = new ArrayList<>();
    batches.add(Arrays.asList("a", "a"));
    for (int i = 0; i < 6; i++) {
      batches.add(Collections.<String>emptyList());
    }
    batches.add(Arrays.asList("a"));
    batches.add(Collections.<String>emptyList());
    ManualClock clock = start(settings("3s", "10"), batches);
    String[] expected = {"[a=2]", "[a=2]", "[a=2]", "[]", "[]", "[]", "[]", "[a=1]", "[a=1]"};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], rows(tick(clock, 1000)), "at t=" + (i + 1));
    }
  }

  @Test
  void rankingOrdersByCountThenKeywordKeepsTopNAndCountsRecordsWithoutKey() throws Exception {
    ManualClock clock =
        start(
            settings("3s", "2"),
            Arrays.asList(
                Arrays.asList("b", "a", "c", "c", null, "", "d", "d"),
                Collections.<String>emptyList()));
    Ranking r = tick(clock, 1000);
    assertEquals("[c=2, d=2]", rows(r), "ties by keyword, only the top 2");
    assertEquals(4, r.keys);
    assertEquals(6, r.total);
    assertEquals(2, r.invalid, "a null and an empty key");
    assertTrue(r.toTable().contains("2 without a key"), r.toTable());
    assertTrue(r.toJson().contains("\"invalidKeys\":2"), r.toJson());
  }

  /** Completed batches' processing times, in batch order, as the listener bus delivers them. */
  static final class Completed extends BatchCompletedListener {
    final BlockingQueue<Long> processingMs = new LinkedBlockingQueue<>();

    @Override
    protected void batchCompleted(org.apache.spark.streaming.scheduler.BatchInfo info) {
      processingMs.add(processingMs(info));
    }
  }

  @Test
  void aRankingCarriesThePreviousBatchsProcessingTime() throws Exception {
    ManualClock clock =
        start(
            settings("3s", "10"),
            Arrays.asList(
                Arrays.asList("a"), Arrays.asList("a"), Arrays.asList("a"), Arrays.asList("a")));
    // Registered before the graph's own recorder (which registers at the first ranking), so the
    // bus hands each event to this listener first: once it has seen batch 2, the recorder has
    // seen batch 1.
    Completed completed = new Completed();
    jssc.addStreamingListener(completed);
    assertEquals(-1L, tick(clock, 1000).processingMs, "no batch has completed before the first");
    Long first = completed.processingMs.poll(60, TimeUnit.SECONDS);
    tick(clock, 1000);
    Long second = completed.processingMs.poll(60, TimeUnit.SECONDS);
    assertNotNull(first);
    assertNotNull(second);
    long shown = tick(clock, 1000).processingMs;
    assertTrue(
        shown >= 0 && (shown == first || shown == second),
        "batch 3's ranking shows batch 1's or 2's time (" + first + ", " + second + "): " + shown);
  }
}
