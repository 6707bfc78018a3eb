package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigDef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting the producer defines, each given wrong values in turn: the start ends with exit
 * code 2 and one line naming the setting, never a stack trace. A setting no value of which is wrong
 * (free text) must be listed here on purpose.
 */
class EverySettingTest {
  /** Settings that take any text: a name, a path checked when used, a key. */
  private static final List<String> FREE_TEXT = Arrays.asList("unmatched.key", "credentials.file");

  private static String[] wrongValues(ConfigDef.Type type) {
    switch (type) {
      case BOOLEAN:
        return new String[] {"maybe"};
      case INT:
      case LONG:
      case DOUBLE:
        return new String[] {"abc", "-5", "99999999999999999999"};
      case DURATION:
        return new String[] {"10 parsecs", "-1s", "0ms"};
      default:
        // (A path that cannot be created first: a value taken as right must not write files.)
        return new String[] {"", "/nonexistent-dir/no-such-value", "nowhere:-1"};
    }
  }

  @TempDir Path dir;

  @Test
  void aWrongValueOfAnySettingIsOneLineNamingItAndExitCode2() throws Exception {
    // A value taken as right runs a dry run on an empty capture, which ends at once.
    String empty = Files.createFile(dir.resolve("empty.jsonl")).toString();
    Map<String, String> accepted = new TreeMap<>();
    int checked = 0;
    for (ConfigDef.Key key : ProducerSettings.DEF.keys()) {
      boolean refused = false;
      for (String bad : wrongValues(key.type)) {
        List<String> args = new ArrayList<>(Collections.singletonList("--dry.run"));
        if (!key.name.equals("keywords")) {
          args.addAll(Arrays.asList("--keywords", "bitcoin"));
        }
        if (key.name.equals("input")) {
          args.addAll(Arrays.asList("--source", "file"));
        } else if (!key.name.equals("source")) {
          args.addAll(Arrays.asList("--source", "file", "--input", empty));
        }
        args.add("--" + key.name + "=" + bad);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
            ProducerMain.run(
                args.toArray(new String[0]),
                Collections.<String, String>emptyMap(),
                new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true));
        String printed = new String(err.toByteArray(), StandardCharsets.UTF_8);
        if (code == 0) {
          continue;
        }
        assertEquals(2, code, key.name + "=" + bad + ": " + printed);
        String[] lines = printed.trim().split("\n");
        assertEquals(1, lines.length, key.name + "=" + bad + ": " + printed);
        assertTrue(lines[0].startsWith("error: "), printed);
        assertTrue(lines[0].contains(key.name), key.name + "=" + bad + ": " + printed);
        assertFalse(printed.contains("\tat "), printed);
        refused = true;
        checked++;
        break;
      }
      if (!refused) {
        accepted.put(key.name, String.join(" | ", wrongValues(key.type)));
      }
    }
    assertEquals(
        new java.util.TreeSet<>(FREE_TEXT), accepted.keySet(), "settings no value of which failed");
    assertEquals(ProducerSettings.DEF.keys().size() - FREE_TEXT.size(), checked);
  }
}
