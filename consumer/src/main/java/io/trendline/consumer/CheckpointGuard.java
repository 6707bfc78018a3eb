package io.trendline.consumer;

import io.trendline.common.Printable;
import io.trendline.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses to start on a checkpoint that this run cannot honour. Spark restores the whole graph from
 * a checkpoint: a restarted job keeps the topic, window, slide, ranking size and sinks it was
 * written with, whatever its new settings say, and a checkpoint written by other code may not
 * deserialize, or restore something subtly different. So the checkpoint directory records the
 * version and the settings that shape the graph ({@value #FILE}); a start that differs in any of
 * them fails with one line saying what differs and what to do, instead of silently running the old
 * graph.
 */
final class CheckpointGuard {
  static final String FILE = "trendline-graph.properties";

  private CheckpointGuard() {}

  /** The consumer's version, from the jar. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = CheckpointGuard.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // An unknown version only disables the version check.
    }
    return p.getProperty("version", "unknown");
  }

  /** What the checkpoint must agree with, in a stable order. */
  static Map<String, String> shape(ConsumerSettings s, String version) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("topic", s.topic());
    m.put("batch.interval", s.batchMs() + "ms");
    m.put("window", s.windowMs() + "ms");
    m.put("slide", s.slideMs() + "ms");
    m.put("top", String.valueOf(s.top()));
    m.put("partitions", String.valueOf(s.partitions()));
    m.put(
        "totals",
        s.totalsIdleTimeout() == null ? "off" : s.totalsIdleTimeout().milliseconds() + "ms");
    m.put("sink.console", String.valueOf(s.consoleSink()));
    m.put("sink.kafka.topic", s.kafkaSinkTopic());
    m.put("sink.files.path", s.filesSinkPath());
    return m;
  }

  /**
   * Checks the settings against what {@code checkpoint.dir} was written with, if anything.
   *
   * @throws ConfigException naming what differs
   */
  static void check(ConsumerSettings s, String version, Configuration hadoop) {
    Properties recorded;
    try {
      recorded = usableAndRecorded(s.checkpointDir(), hadoop);
    } catch (IOException | RuntimeException e) {
      throw ConfigException.invalid(
          "checkpoint.dir",
          s.checkpointDir(),
          "cannot use it: "
              + (e.getMessage() == null
                  ? e.getClass().getSimpleName()
                  : Printable.firstLine(e.getMessage())));
    }
    if (recorded == null) {
      return;
    }
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, String> e : shape(s, version).entrySet()) {
      String was = recorded.getProperty(e.getKey());
      if (was != null && !was.equals(e.getValue())) {
        differences.add(e.getKey() + " " + quote(was) + " (now " + quote(e.getValue()) + ")");
      }
    }
    if (differences.isEmpty()) {
      return;
    }
    boolean code = !version.equals(recorded.getProperty("version", version));
    throw new ConfigException(
        "checkpoint.dir "
            + s.checkpointDir()
            + " was written with "
            + String.join(", ", differences)
            + (code
                ? ". Spark cannot restore a checkpoint across a code change"
                : ". A checkpoint restores the graph it was written with")
            + ": start on a new checkpoint.dir (the job resumes from the offsets committed to"
            + " Kafka; see README, Stopping, restarting, upgrading), or keep the settings it was"
            + " written with.");
  }

  /**
   * Makes sure the directory exists and takes a file (so that a wrong scheme, a file in its place
   * or missing permissions stop the start with one line, not a Spark stack trace), and returns what
   * it was written with, or null for a new checkpoint.
   */
  private static Properties usableAndRecorded(String dir, Configuration hadoop) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.mkdirs(path) || !fs.getFileStatus(path).isDirectory()) {
      throw new IOException("not a directory, and cannot be made one");
    }
    Path probe = new Path(path, ".trendline-probe");
    fs.create(probe, true).close();
    fs.delete(probe, false);
    Path file = new Path(path, FILE);
    if (!fs.exists(file)) {
      return null;
    }
    Properties recorded = new Properties();
    try (InputStream in = fs.open(file)) {
      recorded.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return recorded;
  }

  /** Records the settings a new checkpoint is written with. */
  static void record(ConsumerSettings s, String version, Configuration hadoop) throws IOException {
    Path file = new Path(s.checkpointDir(), FILE);
    FileSystem fs = file.getFileSystem(hadoop);
    Properties p = new Properties();
    p.putAll(shape(s, version));
    try (OutputStream out = fs.create(file, true)) {
      p.store(
          new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
          "What this checkpoint's graph was built with; see CheckpointGuard");
    }
  }

  private static String quote(String s) {
    return "'" + s + "'";
  }
}
