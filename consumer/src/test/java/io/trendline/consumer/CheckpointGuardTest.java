package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointGuardTest {
  @TempDir Path dir;
  private final Configuration hadoop = new Configuration();

  private ConsumerSettings settings(String... more) {
    String[] args = new String[more.length + 2];
    args[0] = "--checkpoint.dir";
    args[1] = dir.toUri().toString();
    System.arraycopy(more, 0, args, 2, more.length);
    return ConsumerSettings.load(args, Collections.<String, String>emptyMap());
  }

  @Test
  void aNewCheckpointAcceptsAnySettingsAndRemembersThem() throws Exception {
    ConsumerSettings s = settings("--window", "300s");
    assertDoesNotThrow(() -> CheckpointGuard.check(s, "1.0.0", hadoop));
    CheckpointGuard.record(s, "1.0.0", hadoop);
    assertTrue(Files.exists(dir.resolve(CheckpointGuard.FILE)));
    // The same settings again, and a change that does not shape the graph: fine.
    assertDoesNotThrow(() -> CheckpointGuard.check(settings("--window", "300s"), "1.0.0", hadoop));
    assertDoesNotThrow(
        () ->
            CheckpointGuard.check(
                settings("--window", "300s", "--max.rate.per.partition", "100"), "1.0.0", hadoop));
  }

  @Test
  void aChangedWindowOrSinkIsRefusedWithWhatDiffers() throws Exception {
    CheckpointGuard.record(settings("--window", "300s"), "1.0.0", hadoop);
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> CheckpointGuard.check(settings("--window", "600s"), "1.0.0", hadoop));
    assertTrue(e.getMessage().contains("window '300000ms' (now '600000ms')"), e.getMessage());
    assertTrue(e.getMessage().contains("new checkpoint.dir"), e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () ->
                CheckpointGuard.check(
                    settings("--window", "300s", "--sink.kafka.topic", "trends"), "1.0.0", hadoop));
    assertTrue(e.getMessage().contains("sink.kafka.topic '' (now 'trends')"), e.getMessage());
  }

  @Test
  void anotherVersionIsRefusedAsACodeChange() throws Exception {
    CheckpointGuard.record(settings(), "1.0.0", hadoop);
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> CheckpointGuard.check(settings(), "1.1.0", hadoop));
    assertTrue(e.getMessage().contains("version '1.0.0' (now '1.1.0')"), e.getMessage());
    assertTrue(e.getMessage().contains("across a code change"), e.getMessage());
  }

  @Test
  void anUnusableCheckpointDirIsOneLineNamingIt() throws Exception {
    Path file = Files.createFile(dir.resolve("a-file"));
    for (String bad : new String[] {file.toUri().toString(), "nosuchscheme://host/ckpt"}) {
      ConsumerSettings s =
          ConsumerSettings.load(
              new String[] {"--checkpoint.dir", bad}, Collections.<String, String>emptyMap());
      ConfigException e =
          assertThrows(ConfigException.class, () -> CheckpointGuard.check(s, "1.0.0", hadoop));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "Invalid value '"
                      + bad
                      + "' for configuration checkpoint.dir:"
                      + " cannot use it: "),
          e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
