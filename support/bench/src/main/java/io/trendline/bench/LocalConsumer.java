package io.trendline.bench;

import io.trendline.consumer.ConsumerSettings;
import io.trendline.consumer.RankingSink;
import io.trendline.consumer.TrendsApp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The consumer as the application runs it ({@link TrendsApp#createContext}), in {@code local[2]} in
 * the benchmark's JVM, with no console output and no UI; its rankings are kept by {@link
 * LastRanking}.
 */
final class LocalConsumer {
  private LocalConsumer() {}

  /** A new, unstarted context for the consumer's settings {@code args} ({@code --key value}...). */
  static JavaStreamingContext create(String appName, String... args) {
    return createOn("local[2]", appName, args);
  }

  /** The same, on Spark master {@code master} (a {@code local[N]}). */
  static JavaStreamingContext createOn(String master, String appName, String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(
        Arrays.asList(
            "--sink.console", "false",
            "--spark.master", master,
            "--spark.ui.enabled", "false",
            "--spark.driver.host", "127.0.0.1"));
    ConsumerSettings settings =
        ConsumerSettings.load(all.toArray(new String[0]), Collections.<String, String>emptyMap());
    return TrendsApp.createContext(
        settings,
        settings.sparkConf(appName),
        Collections.<RankingSink>singletonList(new LastRanking()));
  }
}
