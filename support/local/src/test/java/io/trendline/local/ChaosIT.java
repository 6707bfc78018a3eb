package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run, as a user starts it: every kind of fault happens at least once (the broker
 * and the consumer's driver killed and restarted, the producer stopped and killed, every stream
 * fault), and afterwards every status is accounted for: nothing lost, nothing twice, and the last
 * ranking counts exactly what the topic holds. No component outlives the run.
 */
class ChaosIT {
  @Test
  void everyKindOfFaultOnceAndNothingLostOrCountedTwice() throws Exception {
    Path home =
        Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
    Path script = home.resolve("scripts/chaos.sh");
    assertTrue(Files.isExecutable(script));
    Process p =
        new ProcessBuilder(
                "bash", script.toString(), "--duration", "10s", "--interval", "2s", "--seed", "11")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    }
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the run ends by itself");
    String output = String.join("\n", lines);
    assertEquals(0, p.exitValue(), output);

    Matcher run = Pattern.compile("Trendline chaos run (\\S+):").matcher(output);
    assertTrue(run.find(), output);
    Map<String, String> s = summary(output);
    for (String kind : kinds()) {
      assertTrue(faults(output).getOrDefault(kind, 0) >= 1, kind + " happened:\n" + output);
    }
    assertEquals("0", s.get("lost"), output);
    assertEquals("0", s.get("duplicates"), output);
    assertEquals("0", s.get("foreign"), output);
    assertEquals(s.get("expected"), s.get("counted"), "the ranking counted the topic:\n" + output);
    assertEquals(s.get("in_topic"), s.get("expected"), output);
    assertTrue(Long.parseLong(s.get("delivered")) > 500, "a realistic stream:\n" + output);
    assertTrue(Long.parseLong(s.get("broker_kills")) >= 1, output);
    assertTrue(Long.parseLong(s.get("consumer_kills")) >= 1, output);
    assertTrue(Long.parseLong(s.get("producer_kills")) >= 2, output);
    assertTrue(Long.parseLong(s.get("stream_faults")) >= 8, output);
    assertEquals(new ArrayList<String>(), DemoIT.processesOf(run.group(1)), "nothing outlives it");
  }

  private static String[] kinds() {
    Chaos.Fault[] all = Chaos.Fault.values();
    String[] names = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      names[i] = all[i].name().toLowerCase(Locale.ROOT);
    }
    return names;
  }

  /** The "Faults: {broker_kill=1, ...}" line as a map. */
  private static Map<String, Integer> faults(String output) {
    Matcher m = Pattern.compile("Faults: \\{([^}]*)\\}").matcher(output);
    assertTrue(m.find(), output);
    Map<String, Integer> out = new HashMap<>();
    for (String kv : m.group(1).split(", ")) {
      String[] p = kv.split("=");
      out.put(p[0], Integer.parseInt(p[1]));
    }
    return out;
  }

  /** The CHAOS-SUMMARY line's fields. */
  private static Map<String, String> summary(String output) {
    Matcher m = Pattern.compile("CHAOS-SUMMARY (.*)").matcher(output);
    assertTrue(m.find(), output);
    Map<String, String> out = new HashMap<>();
    for (String kv : m.group(1).trim().split(" ")) {
      int eq = kv.indexOf('=');
      out.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return out;
  }
}
