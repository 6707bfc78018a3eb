package io.trendline.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.browser.Chromium;
import io.trendline.process.JarBytecode;
import io.trendline.process.JavaProcess;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's jar against a real broker, looked at with a real headless Chromium: rankings
 * written to the topic are what the page shows (its table, its bars, its line chart), a new ranking
 * changes them, bad records are warnings, a topic that does not exist yet is waited for, stopped
 * rankings make the page say "stale", and a page opened late is filled from the topic's last
 * minutes. Screenshots go to {@code target/dashboard-*.png}.
 */
class DashboardIT {
  private static final Pattern ADDRESS = Pattern.compile("Dashboard: (http://\\S+/)");
  private static final Path JAR =
      Paths.get("target", "trendline-dashboard-all.jar").toAbsolutePath();

  private static Path dir;
  private static KafkaBrokerProcess broker;
  private static KafkaProducer<String, String> producer;
  private static Chromium browser;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("dashboard-it");
    broker = KafkaBrokerProcess.builder(dir.resolve("kafka")).start();
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("acks", "all");
    producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    browser = Chromium.start(dir.resolve("browser"), 1600, 1000);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** The dashboard's jar on {@code topic}, any free port; returns it once it prints its address. */
  private static JavaProcess dashboard(String topic, String... extra) {
    List<String> args =
        new ArrayList<>(
            Arrays.asList(
                "-jar",
                JAR.toString(),
                "--topic",
                topic,
                "--http.port",
                "0",
                "--kafka.bootstrap.servers",
                broker.bootstrapServers()));
    args.addAll(Arrays.asList(extra));
    return JavaProcess.start(
        "dashboard", args, Collections.<String, String>emptyMap(), dir.resolve(topic + ".log"));
  }

  private static String address(JavaProcess d) {
    return d.awaitLine(ADDRESS, 60_000);
  }

  private static void createTopic(String topic) throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", broker.bootstrapServers());
    try (AdminClient admin = AdminClient.create(p)) {
      admin
          .createTopics(Collections.singleton(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** A ranking in the consumer's JSON, rows in the order given (keyword, count, ...). */
  static String ranking(long batchTime, Map<String, Long> top, Map<String, Long> totals) {
    JsonObject o = new JsonObject();
    o.addProperty("batchTime", batchTime);
    o.addProperty("windowMs", 300_000);
    o.addProperty("slideMs", 1000);
    o.add("top", rows(top));
    long total = 0;
    for (long c : top.values()) {
      total += c;
    }
    o.addProperty("keys", top.size());
    o.addProperty("total", total);
    o.addProperty("invalidKeys", 0);
    o.addProperty("processingMs", 40);
    if (totals != null) {
      JsonObject t = new JsonObject();
      t.add("top", rows(totals));
      t.addProperty("keys", totals.size());
      t.addProperty("total", totals.values().stream().mapToLong(Long::longValue).sum());
      o.add("totals", t);
    }
    return o.toString();
  }

  private static JsonArray rows(Map<String, Long> m) {
    JsonArray a = new JsonArray();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      JsonObject r = new JsonObject();
      r.addProperty("keyword", e.getKey());
      r.addProperty("count", e.getValue());
      a.add(r);
    }
    return a;
  }

  static Map<String, Long> top(Object... kv) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }

  private static void send(String topic, Long timestamp, String value) throws Exception {
    producer
        .send(new ProducerRecord<>(topic, null, timestamp, null, value))
        .get(60, TimeUnit.SECONDS);
  }

  // ---- What the page shows, read from the rendered document

  private static String batchTime() throws IOException {
    return browser.evalString("return document.body.getAttribute('data-batch-time');");
  }

  private static String state() throws IOException {
    return browser.evalString("return document.body.getAttribute('data-state');");
  }

  private static String text(String id) throws IOException {
    return browser.evalString("return document.getElementById('" + id + "').textContent;");
  }

  /** For each element {@code selector} finds, in document order, what {@code value} (JS) gives. */
  private static List<String> each(String selector, String value) throws IOException {
    JsonElement e =
        browser.eval(
            "return Array.from(document.querySelectorAll('"
                + selector
                + "')).map(x => "
                + value
                + ");");
    return Arrays.asList(Chromium.as(e, String[].class));
  }

  /** The table's rows, each cell's text joined by '|'. */
  private static List<String> table(String id) throws IOException {
    return each("#" + id + " tbody tr", "Array.from(x.cells).map(c => c.textContent).join('|')");
  }

  /** Every text the chart drew (its SVG), in document order. */
  private static List<String> chartTexts(String id) throws IOException {
    return each("#" + id + " svg text", "x.textContent");
  }

  /** The outlines the chart drew (its SVG paths). */
  private static List<String> chartPaths(String id) throws IOException {
    return each("#" + id + " svg path", "x.getAttribute('d')");
  }

  private static void awaitBatch(long batchTime) throws Exception {
    Chromium.await(
        () -> String.valueOf(batchTime).equals(batchTime()) ? true : null,
        () -> "the page to show batch " + batchTime + " (it shows " + batchTimeOrError() + ")",
        30_000);
  }

  private static String batchTimeOrError() {
    try {
      return batchTime();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void awaitState(String wanted) throws Exception {
    Chromium.await(
        () -> wanted.equals(state()) ? true : null,
        () -> "the page's state to be " + wanted + " (it is " + stateOrError() + ")",
        30_000);
  }

  private static String stateOrError() {
    try {
      return state() + ": " + text("state");
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** How the page's table shows a ranking's rows: rank|keyword|count|change. */
  private static List<String> expectedRows(Map<String, Long> top, Map<String, String> changes) {
    List<String> rows = new ArrayList<>();
    int rank = 1;
    for (Map.Entry<String, Long> e : top.entrySet()) {
      String row = rank++ + "|" + e.getKey() + "|" + String.format(Locale.US, "%,d", e.getValue());
      rows.add(changes == null ? row : row + "|" + changes.get(e.getKey()));
    }
    return rows;
  }

  @Test
  void thePageShowsTheRankingsWrittenAndFollowsThem() throws Exception {
    String topic = "rankings";
    try (JavaProcess d = dashboard(topic, "--stale.after", "5s")) {
      String url = address(d);
      browser.open(url);
      // Started before the topic exists: it waits for it, and says so.
      Chromium.await(
          () -> text("state").contains("waiting for topic 'rankings' to exist") ? true : null,
          () -> "the page to say it waits for the topic (it says " + stateOrError() + ")",
          30_000);
      createTopic(topic);

      // Two minutes of rankings, one a second: "bitcoin" rising, "iot" steady, "smart city"
      // falling; then the last one, with totals.
      long t0 = System.currentTimeMillis() / 1000 * 1000 - 120_000;
      for (int i = 0; i < 120; i++) {
        send(
            topic,
            null,
            ranking(
                t0 + i * 1000L,
                top("bitcoin", 100 + i * 3, "iot", 150, "smart city", 200 - i),
                null));
      }
      long last = t0 + 120_000;
      Map<String, Long> top = top("bitcoin", 470, "smart city", 79, "iot", 75, "blockchain", 12);
      Map<String, Long> totals = top("bitcoin", 90_000, "iot", 41_000, "smart city", 5_500);
      send(topic, null, ranking(last, top, totals));
      awaitBatch(last);
      awaitState("live");

      // The ranking shown is the one sent; each change is against the ranking a minute before
      // (t0 + 60 s: bitcoin 280, iot 150, smart city 140; blockchain was not in the top).
      Map<String, String> changes = new HashMap<>();
      changes.put("bitcoin", "+190");
      changes.put("smart city", "−61");
      changes.put("iot", "−75");
      changes.put("blockchain", "new in the top");
      assertEquals(expectedRows(top, changes), table("table"));
      assertEquals(expectedRows(totals, null), table("totals-table"));
      List<String> bars = chartTexts("bars");
      for (String k : top.keySet()) {
        assertTrue(bars.contains(k), k + " drawn in " + bars);
      }
      assertTrue(bars.stream().anyMatch(b -> b.contains("(+190)")), bars.toString());
      assertTrue(chartTexts("totals").contains("90,000"), chartTexts("totals").toString());
      // The line chart: one series per top keyword, named in its legend.
      List<String> lines = chartTexts("lines");
      for (String k : top.keySet()) {
        assertTrue(lines.contains(k), k + " in the legend of " + lines);
      }
      assertEquals("636", text("records").replace(",", ""));
      assertEquals("40 ms", text("processing"));
      browser.screenshot(Paths.get("target", "dashboard.png"));

      // A new ranking changes the bars, the table and the line chart.
      List<String> pathsBefore = chartPaths("lines");
      List<String> barPathsBefore = chartPaths("bars");
      // (A keyword that looks like markup is shown as the text it is.)
      Map<String, Long> next = top("blockchain", 900, "bitcoin", 480, "iot", 70, "<b>x</b>", 5);
      send(topic, null, ranking(last + 1000, next, totals));
      awaitBatch(last + 1000);
      changes.put("blockchain", "new in the top");
      changes.put("bitcoin", "+197");
      changes.put("iot", "−80");
      changes.put("<b>x</b>", "new in the top");
      assertEquals(expectedRows(next, changes), table("table"));
      assertTrue(chartTexts("bars").contains("<b>x</b>"), chartTexts("bars").toString());
      assertEquals(0, browser.eval("return document.querySelectorAll('b').length;").getAsInt());
      assertNotEquals(barPathsBefore, chartPaths("bars"));
      assertNotEquals(pathsBefore, chartPaths("lines"));
      assertTrue(chartTexts("bars").contains("blockchain"));

      // Records that are not rankings are counted and shown; the page carries on.
      send(topic, null, "not json at all");
      send(topic, null, "{\"hello\":\"world\"}");
      // A ranking dated a day ahead would push every real one out of the history: refused.
      send(topic, null, ranking(last + 86_400_000L, top("future", 1), null));
      Chromium.await(
          () -> "3".equals(text("bad")) ? true : null, () -> "3 bad records shown", 30_000);
      String warnings = text("warnings-list");
      assertTrue(warnings.contains("offset 122: not JSON"), warnings);
      assertTrue(warnings.contains("offset 123: field 'batchTime' is missing"), warnings);
      assertTrue(warnings.contains("offset 124: batch time "), warnings);
      assertTrue(warnings.contains(" s after the record's own time"), warnings);
      assertEquals(
          false, browser.eval("return document.getElementById('warnings').hidden;").getAsBoolean());
      assertEquals(expectedRows(next, changes), table("table"));

      // Rankings stop: the page says it is stale, within stale.after (5 s) and a status tick.
      awaitState("stale");
      assertTrue(text("state").startsWith("stale: no ranking for "), text("state"));
      browser.screenshot(Paths.get("target", "dashboard-stale.png"));
      // And live again with the next one.
      send(topic, null, ranking(last + 2000, next, totals));
      awaitState("live");
      awaitBatch(last + 2000);
    }
  }

  @Test
  void aPageOpenedLateIsFilledFromTheTopicsLastMinutes() throws Exception {
    String topic = "late";
    createTopic(topic);
    long now = System.currentTimeMillis();
    // Written 20 and 10 minutes ago: only the second lot is within the 15 min history.
    long old = now - 20 * 60_000;
    long recent = now - 10 * 60_000;
    for (int i = 0; i < 3; i++) {
      send(topic, old + i * 1000L, ranking(old + i * 1000L, top("old", 1), null));
    }
    for (int i = 0; i < 5; i++) {
      send(topic, recent + i * 1000L, ranking(recent + i * 1000L, top("recent", 10 + i), null));
    }
    try (JavaProcess d = dashboard(topic, "--max.pages", "1")) {
      String url = address(d);
      // Read back, the rankings ten minutes old leave the dashboard unhealthy until new ones come.
      Chromium.await(
          () -> get(url + "api/snapshot").contains("\"state\":\"live\"") ? true : null,
          () -> "the dashboard to read the topic back",
          30_000);
      assertTrue(get(url + "api/snapshot").contains("\"batchTime\":" + (recent + 4000)));
      assertEquals(503, status(url + "healthz"));
      // The one place (max.pages 1) is taken: the page is refused, says so, and tries again...
      HttpURLConnection holder = (HttpURLConnection) new URL(url + "events").openConnection();
      assertEquals(200, holder.getResponseCode());
      java.io.InputStream held = holder.getInputStream();
      assertTrue(held.read() >= 0);
      browser.open(url);
      awaitState("disconnected");
      // ...and gets in by itself once the place is free.
      held.close();
      holder.disconnect();
      awaitBatch(recent + 4000);
      assertEquals(
          "["
              + recent
              + ","
              + (recent + 1000)
              + ","
              + (recent + 2000)
              + ","
              + (recent + 3000)
              + ","
              + (recent + 4000)
              + "]",
          browser.eval("return window.trendline.batchTimes();").toString());
      assertEquals(
          expectedRows(top("recent", 14), Collections.singletonMap("recent", "–")), table("table"));
      // Read back as written ten minutes ago: stale at once.
      awaitState("stale");

      // One page at a time here: a second stream is refused while the browser holds one.
      assertEquals(503, status(url + "events"));
      assertEquals(404, status(url + "nothing"));
      assertEquals(405, status(url, "POST"));
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      assertEquals(200, c.getResponseCode());
      assertTrue(c.getHeaderField("Content-Security-Policy").contains("default-src 'self'"));
      c.disconnect();
      assertEquals(200, status(url + "vendor/echarts/LICENSE"));

      send(topic, null, ranking(System.currentTimeMillis(), top("recent", 20), null));
      Chromium.await(
          () -> status(url + "healthz") == 200 ? true : null, () -> "/healthz 200", 30_000);
      awaitState("live");
    }
  }

  @Test
  void theJarIsJava8AndCarriesTheChartLibraryWithItsLicence() throws Exception {
    JarBytecode b = JarBytecode.read(JAR, JarBytecode.JAVA_8);
    assertEquals(new ArrayList<String>(), b.newer, "classes newer than Java 8 in " + JAR);
    assertTrue(b.classes > 500, "the jar holds the dashboard and Kafka's client: " + b.classes);
    String echarts =
        "META-INF/resources/webjars/echarts/" + DashboardServer.buildProperty("echarts.version");
    for (String entry :
        new String[] {
          "io/trendline/dashboard/DashboardMain.class",
          "io/trendline/dashboard/web/index.html",
          "io/trendline/dashboard/web/app.js",
          echarts + "/dist/echarts.min.js",
          echarts + "/LICENSE",
          echarts + "/NOTICE"
        }) {
      assertTrue(JarBytecode.holds(JAR, entry), entry + " in " + JAR);
    }
    // Of the chart package, only what the page loads and its licence files.
    assertEquals(false, JarBytecode.holds(JAR, echarts + "/dist/echarts.js"));
  }

  private static String get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setReadTimeout(10_000);
    try (java.io.InputStream in = c.getInputStream()) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static int status(String url) throws IOException {
    return status(url, "GET");
  }

  private static int status(String url, String method) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod(method);
    c.setReadTimeout(10_000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }
}
