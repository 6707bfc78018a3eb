package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.process.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer jar on a checkpoint written by other code: Spark would fail to restore it (classes
 * gone or changed) with a stack trace, or restore a graph that is not this jar's. The jar refuses
 * it in one line before touching Spark or Kafka, naming the code that wrote it and its own (its
 * version, a digest of its classes and the Spark it runs on), and accepts a checkpoint it wrote
 * itself.
 */
class CheckpointUpgradeIT {
  private static final Path HOME =
      Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
  private static final Pattern NOW = Pattern.compile("version '[^']*' \\(now '([^']*)'\\)");

  @TempDir Path dir;

  /** The graph file of a checkpoint written by {@code version}, with the default settings. */
  private Path checkpointWrittenBy(String version) throws Exception {
    Path checkpoint = Files.createDirectories(dir.resolve("checkpoint"));
    Files.write(
        checkpoint.resolve("trendline-graph.properties"),
        Arrays.asList(
            "version=" + version.replace(":", "\\:"),
            "topic=tweets",
            "batch.interval=1000ms",
            "window=300000ms",
            "slide=1000ms"),
        StandardCharsets.UTF_8);
    return checkpoint;
  }

  private JavaProcess consumer(Path checkpoint, String name) throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList("-Xmx512m"));
    cmd.addAll(SparkLocal.jvmOptions());
    cmd.addAll(
        Arrays.asList(
            "-cp",
            new Layout(HOME).consumerClasspath(),
            "io.trendline.consumer.TrendsApp",
            "--spark.master",
            "local[1]",
            // Nothing listens there: a start that gets past the checkpoint stops at Kafka.
            "--kafka.bootstrap.servers",
            "127.0.0.1:1",
            "--startup.timeout",
            "2s",
            "--checkpoint.dir",
            checkpoint.toUri().toString()));
    return JavaProcess.start(
        name, cmd, Collections.<String, String>emptyMap(), dir.resolve(name + ".log"));
  }

  private static List<String> errors(JavaProcess p) throws Exception {
    List<String> errors = new ArrayList<>();
    for (String line : p.readLog()) {
      if (line.startsWith("error:") || line.startsWith("\tat ")) {
        errors.add(line);
      }
    }
    return errors;
  }

  @Test
  void aCheckpointOfOtherCodeIsRefusedInOneLineAndItsOwnIsAccepted() throws Exception {
    // What the jars before the code digest recorded: the bare Maven version.
    Path old = checkpointWrittenBy("1.0.0-SNAPSHOT");
    JavaProcess refused = consumer(old, "old-checkpoint");
    assertTrue(refused.waitFor(120_000), refused.tail(30));
    assertEquals(2, refused.exitValue(), refused.tail(30));
    List<String> errors = errors(refused);
    assertEquals(1, errors.size(), refused.tail(30));
    String line = errors.get(0);
    assertTrue(line.startsWith("error: checkpoint.dir " + old.toUri()), line);
    assertTrue(line.contains("change of code or of Spark"), line);
    Matcher now = NOW.matcher(line);
    assertTrue(now.find(), line);
    String ours = now.group(1);
    assertTrue(
        ours.matches("1\\.0\\.0-SNAPSHOT, code [0-9a-f]{12}, Spark [23]\\.\\d+\\.\\d+"), ours);

    // The same file written by this jar: the checkpoint passes and the start goes on to Kafka.
    Files.delete(old.resolve("trendline-graph.properties"));
    Path own = checkpointWrittenBy(ours);
    JavaProcess accepted = consumer(own, "own-checkpoint");
    assertTrue(accepted.waitFor(120_000), accepted.tail(30));
    assertEquals(3, accepted.exitValue(), accepted.tail(30));
    errors = errors(accepted);
    assertEquals(1, errors.size(), accepted.tail(30));
    assertTrue(errors.get(0).startsWith("error: cannot reach Kafka at 127.0.0.1:1"), errors.get(0));
  }
}
