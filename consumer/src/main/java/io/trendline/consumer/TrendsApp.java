package io.trendline.consumer;

import io.trendline.common.Printable;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import io.trendline.common.kafka.KafkaTopics;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import scala.Tuple2;

/**
 * The Spark Streaming application: reads the settings, checks the checkpoint, and runs {@link
 * TrendsGraph} (read → window → rank → sink, then commit) on the Kafka topic with the sinks the
 * settings ask for, until it is stopped.
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
    SparkConf conf = settings.sparkConf("trendline-consumer");
    Configuration hadoop = hadoopConfiguration(conf);
    // The checkpoint first: what it refuses is settled without Kafka.
    String version = CheckpointGuard.version();
    try {
      CheckpointGuard.check(settings, version, hadoop);
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      KafkaTopics.Topic topic =
          KafkaTopics.check(settings.kafkaParams(), settings.topic(), settings.startupTimeoutMs());
      System.err.println(
          "Kafka topic '" + settings.topic() + "' (" + topic.partitions + " partitions) is there.");
    } catch (KafkaTopics.StartupException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(3);
      return;
    }
    List<RankingSink> sinks = sinks(settings);
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
    try {
      awaitStop(jssc, settings);
    } catch (Exception e) {
      String gone = offsetsGone(e);
      if (gone == null) {
        throw e;
      }
      System.err.println(
          "error: the records this job was to read next were deleted by the topic's retention ("
              + gone
              + "): counting on would silently skip them. Start on a new checkpoint.dir to resume"
              + " from the group's committed offsets (or kafka.auto.offset.reset), and give the"
              + " topic a retention.ms longer than the job can be down.");
      jssc.stop(true, false);
      System.exit(4);
    }
  }

  /**
   * Kafka's OffsetOutOfRangeException, from its name to the end of its line, in {@code e} or its
   * causes (the offsets a batch was to read are gone, deleted by retention; a task's failure
   * reaches the driver as a SparkException quoting it), or null when it is another failure.
   */
  static String offsetsGone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = t.toString();
      int at = text.indexOf("OffsetOutOfRangeException");
      if (at >= 0) {
        return Printable.firstLine(text.substring(at));
      }
    }
    return null;
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

  /**
   * A new context running what the application runs: the whole graph on the Kafka direct stream
   * ({@link TrendsGraph#onKafka}) as the settings shape it, with {@code sinks}; checkpointing on.
   * The factory the application gives to {@code getOrCreate}; benchmarks measure the consumer
   * through it.
   */
  public static JavaStreamingContext createContext(
      ConsumerSettings settings, SparkConf conf, List<RankingSink> sinks) {
    JavaStreamingContext jssc = new JavaStreamingContext(conf, new Duration(settings.batchMs()));
    jssc.checkpoint(settings.checkpointDir());
    TrendsGraph.onKafka(
        jssc,
        settings.topic(),
        settings.kafkaParams(),
        settings.windowSpec(),
        settings.totalsIdleTimeout(),
        settings.top(),
        sinks,
        new LastBatchTime());
    return jssc;
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
