package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamServerMainTest {
  @TempDir Path dir;

  private static StreamServer configure(Map<String, String> env, String... args) {
    return StreamServerMain.configure(
        new ConfigLoader(StreamServerMain.DEF, StreamServerMain.ENV_PREFIX)
            .load(StreamServerMain.mergeFaultFlags(args), env));
  }

  private static StreamServer configure(String... args) {
    return configure(Collections.<String, String>emptyMap(), args);
  }

  private static void assertFails(String start, String... args) {
    ConfigException e = assertThrows(ConfigException.class, () -> configure(args));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
    assertTrue(e.getMessage().indexOf('\n') < 0, "one line: " + e.getMessage());
  }

  @Test
  void aGoodCommandLineBuildsAServer() throws Exception {
    Path f = dir.resolve("c.jsonl");
    Files.write(f, Collections.singletonList(Fixtures.status(1, "bitcoin")));
    try (StreamServer s =
        configure(
            "--replay",
            f.toString(),
            "--loop",
            "--rate",
            "0",
            "--keepalive",
            "5s",
            "--fault",
            "close:3",
            "--fault=http:420",
            "--port",
            "0")) {
      assertEquals("close:3@1,http:420:1", s.faults.toString());
      assertEquals(5, s.keepAlive.getSeconds());
    }
    try (StreamServer s =
        configure(
            Collections.singletonMap("TRENDLINE_STREAM_KEYWORDS", "trump,modi"), "--generate")) {
      assertEquals(0, s.faults.faults().size());
    }
  }

  @Test
  void badSettingsFailWithOneLineNamingTheKey() {
    assertFails("Invalid value (none) for configuration replay: give --replay FILE or --generate");
    assertFails(
        "Invalid value 'x' for configuration replay: give either", "--replay", "x", "--generate");
    assertFails(
        "Invalid value 'missing.jsonl' for configuration replay: no readable file",
        "--replay",
        "missing.jsonl");
    assertFails("Invalid value '70000' for configuration port", "--generate", "--port", "70000");
    assertFails(
        "Invalid value '60s' for configuration keepalive", "--generate", "--keepalive", "60s");
    assertFails(
        "Invalid value 'close:x' for configuration fault: fault 'close:x'",
        "--generate",
        "--fault",
        "close:x");
    assertFails(
        "Invalid value 'a,,a' for configuration keywords", "--generate", "--keywords", "a,,a");
    assertFails("Invalid value '-1' for configuration rate", "--generate", "--rate", "-1");
    assertFails("Unknown configuration rat", "--generate", "--rat", "5");
  }

  @Test
  void faultFlagsMerge() {
    assertArrayEquals(
        new String[] {"--generate", "--fault", "a,b,c:1"},
        StreamServerMain.mergeFaultFlags(
            new String[] {"--fault", "a", "--generate", "--fault=b,c:1"}));
  }

  @Test
  void helpListsEverySetting() {
    String help = StreamServerMain.help();
    for (ConfigDef.Key k : StreamServerMain.DEF.keys()) {
      assertTrue(help.contains("--" + k.name + " "), k.name);
    }
    assertTrue(help.contains("--help") && help.contains("disconnect:N[:CODE][@S]"));
  }
}
