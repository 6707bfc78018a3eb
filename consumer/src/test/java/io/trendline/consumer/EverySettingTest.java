package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every setting the consumer defines, each given wrong values in turn: loading the settings fails
 * with one line naming the setting (which {@code TrendsApp.main} prints as {@code error: ...} and
 * exits 2 on). A setting no value of which is wrong (free text) must be listed here on purpose.
 */
class EverySettingTest {
  /** Settings that take any text: an optional sink target or a path checked when used. */
  private static final Set<String> FREE_TEXT =
      new TreeSet<>(Arrays.asList("sink.kafka.topic", "sink.files.path", "stop.file"));

  private static String[] wrongValues(ConfigDef.Type type) {
    switch (type) {
      case BOOLEAN:
        return new String[] {"maybe"};
      case INT:
      case LONG:
      case DOUBLE:
        return new String[] {"abc", "-5", "99999999999999999999"};
      case DURATION:
        return new String[] {"10 parsecs", "-1s", "0ms", "1500ms"};
      default:
        return new String[] {"", "no-such-value"};
    }
  }

  @Test
  void aWrongValueOfAnySettingIsOneLineNamingIt() {
    Set<String> accepted = new TreeSet<>();
    int refused = 0;
    for (ConfigDef.Key key : ConsumerSettings.DEF.keys()) {
      boolean wasRefused = false;
      for (String bad : wrongValues(key.type)) {
        List<String> args = new ArrayList<>();
        if (!key.name.equals("checkpoint.dir")) {
          args.addAll(Arrays.asList("--checkpoint.dir", "/tmp/never-written"));
        }
        args.add("--" + key.name + "=" + bad);
        try {
          ConsumerSettings.load(
              args.toArray(new String[0]), Collections.<String, String>emptyMap());
        } catch (ConfigException e) {
          String message = e.getMessage();
          assertFalse(message.contains("\n"), message);
          assertTrue(message.contains(key.name), key.name + "=" + bad + ": " + message);
          wasRefused = true;
          refused++;
          break;
        }
      }
      if (!wasRefused) {
        accepted.add(key.name);
      }
    }
    assertEquals(FREE_TEXT, accepted, "settings no value of which failed");
    assertEquals(ConsumerSettings.DEF.keys().size() - FREE_TEXT.size(), refused);
  }
}
