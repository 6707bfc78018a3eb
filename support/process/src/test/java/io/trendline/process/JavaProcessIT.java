package io.trendline.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProcessIT {
  @TempDir Path dir;

  private static List<String> waiter(String... args) {
    List<String> cmd =
        new java.util.ArrayList<>(
            Arrays.asList("-cp", System.getProperty("java.class.path"), Waiter.class.getName()));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  @Test
  void startsWithTheEnvironmentLogsBothStreamsAndStopsWithSigterm() throws Exception {
    Path log = dir.resolve("waiter.log");
    Files.write(log, Arrays.asList("a line of an earlier run"));
    try (JavaProcess p =
        JavaProcess.start(
            "waiter", waiter("x", "y"), Collections.singletonMap("WAITER_ENV", "set"), log)) {
      assertEquals("x y", p.awaitLine(Pattern.compile("WAITER READY (.*)"), 60_000));
      assertEquals("env set", p.awaitLine(Pattern.compile("^env .*"), 60_000));
      assertTrue(p.isAlive());
      assertTrue(p.pid() > 0);
      assertTrue(p.residentMb() > 0, "resident memory from /proc");
      assertFalse(p.readLog().contains("a line of an earlier run"), "the log is replaced");
      assertEquals(143, p.stop(30_000), "SIGTERM: 128 + 15");
      assertFalse(p.isAlive());
    }
  }

  @Test
  void waitingForALineOfAProcessThatExitedFailsWithItsExitCodeAndLog() throws Exception {
    JavaProcess p =
        JavaProcess.start(
            "quitter",
            waiter("exit", "7"),
            Collections.<String, String>emptyMap(),
            dir.resolve("q.log"));
    assertTrue(p.waitFor(60_000));
    assertEquals(7, p.exitValue());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> p.awaitLine(Pattern.compile("NEVER"), 60_000));
    assertTrue(e.getMessage().contains("the quitter exited with code 7"), e.getMessage());
    assertTrue(e.getMessage().contains("WAITER READY exit 7"), e.getMessage());
    assertEquals(7, p.stop(1_000));
  }
}
