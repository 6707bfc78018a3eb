package io.trendline.consumer;

import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.api.java.function.VoidFunction2;
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

/**
 * The Spark Streaming application: read → window → rank → sink. Reads the topic with the Kafka
 * direct stream, counts records per keyword over the window (see {@link KeywordCounts}), and every
 * slide hands the ranking to the sinks; then commits the batch's offsets to Kafka.
 *
 * <p>The whole stream graph is built inside the factory given to {@code
 * JavaStreamingContext.getOrCreate}, so a driver restarted on the same checkpoint directory resumes
 * its windows where they were.
 */
public final class TrendsApp {
  private TrendsApp() {}

  public static void main(String[] args) throws Exception {
    if (ConfigLoader.wantsHelp(args)) {
      System.out.println(
          "usage: spark-submit --class io.trendline.consumer.TrendsApp trendline-consumer.jar"
              + " --checkpoint.dir DIR [--key value]...\n");
      System.out.println("  --config FILE\n      A properties file with any of the keys below.");
      System.out.print(ConsumerSettings.help());
      return;
    }
    ConsumerSettings settings;
    try {
      settings = ConsumerSettings.load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (!settings.describe().isEmpty()) {
      System.err.print("Settings:\n" + settings.describe());
    }
    SparkConf conf = sparkConf(settings, "trendline-consumer");
    List<RankingSink> sinks = sinks(settings);
    Configuration hadoop = hadoopConfiguration(conf);
    String version = CheckpointGuard.version();
    try {
      CheckpointGuard.check(settings, version, hadoop);
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    JavaStreamingContext jssc =
        JavaStreamingContext.getOrCreate(
            settings.checkpointDir(),
            () -> {
              JavaStreamingContext created = createContext(settings, conf, sinks);
              CheckpointGuard.record(settings, version, hadoop);
              return created;
            });
    jssc.ssc().addStreamingListener(new BatchListener(settings.batchMs()));
    jssc.start();
    awaitStop(jssc, settings);
  }

  /** Spark's configuration: the settings' spark.* properties under an application name. */
  static SparkConf sparkConf(ConsumerSettings settings, String appName) {
    SparkConf conf = new SparkConf().setAppName(appName);
    for (Map.Entry<String, String> e : settings.sparkProperties().entrySet()) {
      conf.set(e.getKey(), e.getValue());
    }
    return conf;
  }

  /** Hadoop's configuration as Spark would make it: the cluster's, plus spark.hadoop.* settings. */
  static Configuration hadoopConfiguration(SparkConf conf) {
    Configuration hadoop = new Configuration();
    for (Tuple2<String, String> e : conf.getAll()) {
      if (e._1().startsWith("spark.hadoop.")) {
        hadoop.set(e._1().substring("spark.hadoop.".length()), e._2());
      }
    }
    return hadoop;
  }

  /** The sinks the settings ask for. */
  static List<RankingSink> sinks(ConsumerSettings settings) {
    List<RankingSink> sinks = new ArrayList<>();
    if (settings.consoleSink()) {
      sinks.add(new Sinks.Console());
    }
    if (!settings.kafkaSinkTopic().isEmpty()) {
      sinks.add(new Sinks.Kafka(settings.kafkaSinkTopic(), settings.kafkaParams()));
    }
    if (!settings.filesSinkPath().isEmpty()) {
      sinks.add(new Sinks.Files(settings.filesSinkPath()));
    }
    return sinks;
  }

  /** A new context with the whole graph on the Kafka direct stream; checkpointing on. */
  static JavaStreamingContext createContext(
      ConsumerSettings settings, SparkConf conf, List<RankingSink> sinks) {
    JavaStreamingContext jssc = new JavaStreamingContext(conf, new Duration(settings.batchMs()));
    jssc.checkpoint(settings.checkpointDir());
    JavaInputDStream<ConsumerRecord<String, String>> stream =
        KafkaUtils.createDirectStream(
            jssc,
            LocationStrategies.PreferConsistent(),
            ConsumerStrategies.<String, String>Subscribe(
                Collections.singletonList(settings.topic()), settings.kafkaParams()));
    buildGraph(KeywordCounts.ones(stream), settings, sinks);
    // Registered after the ranking output: a batch's offsets are committed once it is out.
    stream.foreachRDD(new CommitOffsets(stream));
    return jssc;
  }

  /** window → rank → sink, on any stream of (keyword, 1) pairs. */
  static void buildGraph(
      JavaPairDStream<String, Long> ones, ConsumerSettings settings, List<RankingSink> sinks) {
    JavaPairDStream<String, Long> counts =
        KeywordCounts.windowed(
            ones,
            new Duration(settings.windowMs()),
            new Duration(settings.slideMs()),
            settings.partitions());
    counts.checkpoint(new Duration(settings.checkpointMs()));
    counts.foreachRDD(
        new RankAndSink(settings.windowMs(), settings.slideMs(), settings.top(), sinks));
  }

  /**
   * Ranks the window's counts (each partition its own top rows, merged on the driver) and gives the
   * ranking to every sink.
   */
  static final class RankAndSink implements VoidFunction2<JavaPairRDD<String, Long>, Time> {
    private static final long serialVersionUID = 1L;
    private final long windowMs;
    private final long slideMs;
    private final int top;
    private final List<RankingSink> sinks;

    RankAndSink(long windowMs, long slideMs, int top, List<RankingSink> sinks) {
      this.windowMs = windowMs;
      this.slideMs = slideMs;
      this.top = top;
      this.sinks = new ArrayList<>(sinks);
    }

    @Override
    public void call(JavaPairRDD<String, Long> counts, Time time) throws Exception {
      List<Ranking.Partial> parts = counts.mapPartitions(new RankPartition(top)).collect();
      Ranking ranking =
          Ranking.merge(
              time.milliseconds(),
              windowMs,
              slideMs,
              parts,
              top,
              BatchListener.LAST_PROCESSING_MS.get());
      for (RankingSink sink : sinks) {
        sink.accept(ranking);
      }
    }
  }

  /** Ranks one partition of the counts where it is (see {@link Ranking.Partial}). */
  static final class RankPartition
      implements FlatMapFunction<Iterator<Tuple2<String, Long>>, Ranking.Partial> {
    private static final long serialVersionUID = 1L;
    private final int top;

    RankPartition(int top) {
      this.top = top;
    }

    @Override
    public Iterator<Ranking.Partial> call(Iterator<Tuple2<String, Long>> counts) {
      return Collections.singletonList(Ranking.partial(counts, top)).iterator();
    }
  }

  /** Commits the batch's offset ranges to Kafka, asynchronously, after the outputs. */
  static final class CommitOffsets
      implements VoidFunction<org.apache.spark.api.java.JavaRDD<ConsumerRecord<String, String>>> {
    private static final long serialVersionUID = 1L;
    private final JavaInputDStream<ConsumerRecord<String, String>> stream;

    CommitOffsets(JavaInputDStream<ConsumerRecord<String, String>> stream) {
      this.stream = stream;
    }

    @Override
    public void call(org.apache.spark.api.java.JavaRDD<ConsumerRecord<String, String>> rdd) {
      OffsetRange[] ranges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
      ((CanCommitOffsets) stream.inputDStream()).commitAsync(ranges);
    }
  }

  /**
   * Waits for the context to end; if a stop file is set, checks for it every batch interval and
   * stops gracefully when it appears, then removes it.
   */
  static void awaitStop(JavaStreamingContext jssc, ConsumerSettings settings) throws Exception {
    if (settings.stopFile().isEmpty()) {
      jssc.awaitTermination();
      return;
    }
    Path stop = new Path(settings.stopFile());
    Configuration hadoop = jssc.sparkContext().hadoopConfiguration();
    FileSystem fs = stop.getFileSystem(hadoop);
    while (!jssc.awaitTerminationOrTimeout(settings.batchMs())) {
      if (fs.exists(stop)) {
        System.err.println("Stop file " + stop + " found: stopping gracefully.");
        jssc.stop(true, true);
        // Consumed: the next start on this checkpoint must not stop at once.
        if (!fs.delete(stop, false)) {
          System.err.println(
              "Could not remove the stop file " + stop + ": remove it before restarting.");
        }
        return;
      }
    }
  }
}
