package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, as a user runs it, with a short duration: rankings appear with the
 * expected keywords, the counts agree with what the producer reported sending, and no component
 * process outlives the run.
 */
class DemoIT {
  private static final List<String> KEYWORDS = Arrays.asList("bitcoin", "blockchain", "IoT", "5G");

  @Test
  void theDemoShowsRankingsThatAddUpAndLeavesNothingRunning() throws Exception {
    demo("--duration", "40s", "--rate", "40");
  }

  /** The same through the X API v2 filtered stream: rules synced, posts in v2's shape. */
  @Test
  void theDemoRunsThroughTheV2FilteredStreamToo() throws Exception {
    String output = demo("--api", "v2", "--duration", "30s", "--rate", "40");
    assertTrue(output.contains("(X API v2)"), output);
  }

  private static String demo(String... args) throws Exception {
    Path home =
        Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
    Path script = home.resolve("scripts/demo.sh");
    assertTrue(Files.isExecutable(script));
    List<String> cmd = new ArrayList<>(Arrays.asList("bash", script.toString()));
    cmd.addAll(Arrays.asList(args));
    // The dashboard on any free port (8050 by default).
    cmd.addAll(Arrays.asList("--dashboard.port", "0"));
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    String dashboard = null;
    String snapshot = null;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        Matcher m = DASHBOARD.matcher(line);
        if (dashboard == null && m.matches()) {
          dashboard = m.group(1);
        }
        if (snapshot == null && dashboard != null && line.startsWith("Trends at ")) {
          // While the demo runs, its dashboard serves the rankings the console shows.
          snapshot = get(dashboard + "api/snapshot");
        }
      }
    }
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the demo ends by itself");
    String output = String.join("\n", lines);
    assertEquals(0, p.exitValue(), output);

    long tables = lines.stream().filter(l -> l.startsWith("Trends at ")).count();
    assertTrue(
        output.contains("All-time, since the job started ("),
        "the consumer keeps all-time totals for the demo:\n" + output);
    assertTrue(tables >= 5, "rankings were shown every second:\n" + output);

    Matcher summary =
        Pattern.compile(
                "DEMO-SUMMARY run=(\\S+) acked=(\\d+) in-topic=(\\d+) counted=(\\d+) keywords=(\\S*)")
            .matcher(output);
    assertTrue(summary.find(), output);
    String runId = summary.group(1);
    long acked = Long.parseLong(summary.group(2));
    long inTopic = Long.parseLong(summary.group(3));
    long counted = Long.parseLong(summary.group(4));
    assertTrue(acked > 100, "the producer sent a realistic stream: " + acked);
    assertEquals(acked, inTopic, "every acknowledged record is in Kafka");
    assertEquals(acked, counted, "the 300 s window counted every record the producer sent");
    Set<String> ranked = new HashSet<>(Arrays.asList(summary.group(5).split(",")));
    assertTrue(new HashSet<>(KEYWORDS).containsAll(ranked), "only tracked keywords: " + ranked);
    assertTrue(ranked.size() >= 3, "the generated stream mentions most keywords: " + ranked);

    assertTrue(dashboard != null, "the demo prints the dashboard's address:\n" + output);
    assertTrue(snapshot != null, "the dashboard answered while rankings were shown");
    JsonObject snap = JsonParser.parseString(snapshot).getAsJsonObject();
    assertEquals("trends", snap.get("topic").getAsString());
    assertTrue(snap.getAsJsonArray("rankings").size() >= 1, snapshot);
    Path log = home.resolve("run").resolve(runId).resolve("dashboard.log");
    Matcher stopped =
        Pattern.compile("Stopped: (\\d+) rankings read, 0 bad records")
            .matcher(new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
    assertTrue(stopped.find(), "the dashboard stopped cleanly: " + log);
    assertTrue(Long.parseLong(stopped.group(1)) >= tables, "it read every ranking shown");

    assertTrue(output.contains("Stopped. Logs: "), output);
    assertEquals(new ArrayList<String>(), processesOf(runId), "no component outlives the run");
    return output;
  }

  private static final Pattern DASHBOARD =
      Pattern.compile("Dashboard: (http://127\\.0\\.0\\.1:\\d+/)");

  static String get(String url) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setReadTimeout(10_000);
    try (InputStream in = c.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
      assertEquals(200, c.getResponseCode());
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  /** Command lines of live processes started for this run (they carry -Dtrendline.run=ID). */
  static List<String> processesOf(String runId) throws Exception {
    Process ps = new ProcessBuilder("ps", "-eo", "args").redirectErrorStream(true).start();
    List<String> found = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(ps.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.contains("-Dtrendline.run=" + runId)) {
          found.add(line);
        }
      }
    }
    ps.waitFor();
    return found;
  }
}
