package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
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
    assertTrue(e.getMessage().contains("across a change of code"), e.getMessage());
  }

  @Test
  void aPartOfTheVersionUnknownToOneRunIsNotADifference() throws Exception {
    String known = "1.0.0, code 3f09a1c2b7e4, Spark 2.4.7";
    assertTrue(CheckpointGuard.sameVersion(known, known));
    assertTrue(CheckpointGuard.sameVersion(known, "1.0.0, code unknown, Spark 2.4.7"));
    assertTrue(CheckpointGuard.sameVersion("unknown, code unknown, Spark unknown", known));
    assertFalse(CheckpointGuard.sameVersion(known, "1.0.0, code 3f09a1c2b7e5, Spark 2.4.7"));
    assertFalse(CheckpointGuard.sameVersion(known, "1.0.0, code unknown, Spark 3.5.1"));
    assertFalse(CheckpointGuard.sameVersion("1.0.0", known), "an older release's shape");

    CheckpointGuard.record(settings(), "1.0.0, code unknown, Spark 2.4.7", hadoop);
    CheckpointGuard.check(settings(), known, hadoop);
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> CheckpointGuard.check(settings(), "1.0.0, code abc, Spark 3.5.1", hadoop));
    assertTrue(e.getMessage().contains("across a change of code or of Spark"), e.getMessage());
  }

  @Test
  void theVersionNamesTheCodeAndTheSparkItRunsOn() {
    String v = CheckpointGuard.version();
    assertTrue(v.matches("\\S+, code [0-9a-f]{12}, Spark \\S+"), v);
    assertEquals(v, CheckpointGuard.version());
    assertTrue(CheckpointGuard.sparkVersion().matches("[23]\\.\\d+\\.\\d+"), v);
    assertTrue(v.endsWith(", Spark " + CheckpointGuard.sparkVersion()), v);
  }

  @Test
  void theCodeDigestChangesWithAnyClassAndIsTheSameFromAJar() throws Exception {
    Path classes = dir.resolve("classes");
    Path a = classes.resolve("io/trendline/x/A.class");
    Path b = classes.resolve("io/trendline/x/y/B.class");
    Files.createDirectories(b.getParent());
    Files.write(a, new byte[] {1, 2, 3});
    Files.write(b, new byte[] {4, 5});
    Files.write(classes.resolve("io/trendline/x/notes.txt"), new byte[] {9});
    String before = digestOf(classes);
    assertEquals(before, digestOf(classes));

    Path jar = dir.resolve("code.jar");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (Path f : new Path[] {b, a}) {
        out.putNextEntry(new ZipEntry(classes.relativize(f).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("org/other/C.class"));
      out.write(new byte[] {7});
      out.closeEntry();
    }
    assertEquals(before, digestOf(jar), "same classes in a jar, in another order, with others");

    Files.write(b, new byte[] {4, 6});
    assertNotEquals(before, digestOf(classes), "one byte changed");
    Files.write(b, new byte[] {4, 5});
    Files.move(b, classes.resolve("io/trendline/x/B.class"));
    assertNotEquals(before, digestOf(classes), "a class renamed");
    assertNull(digestOf(dir.resolve("missing.jar")));
  }

  private static String digestOf(Path location) throws Exception {
    return CheckpointGuard.codeDigest(location.toUri());
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
