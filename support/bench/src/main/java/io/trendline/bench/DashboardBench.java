package io.trendline.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.trendline.browser.Chromium;
import io.trendline.process.JavaProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How long a page takes to show a new ranking after it is written: the dashboard's jar reads a
 * ranking topic on the benchmark's broker, a real headless Chromium has the page open, and one
 * ranking a second (ten keywords, with totals, as the consumer writes them) is sent with {@code
 * acks=all}. A ranking's latency runs from its send being acknowledged (it is in Kafka) to the page
 * having drawn it (bars, table, line chart; the page notes the time of each batch it drew). Both
 * times are this machine's clock.
 */
public final class DashboardBench {
  private static final Pattern ADDRESS = Pattern.compile("Dashboard: (http://\\S+/)");

  private DashboardBench() {}

  public static Map<String, Object> run(Bench.Context ctx) throws Exception {
    int seconds = ctx.smoke ? 10 : 60;
    Path dir = ctx.out.resolve("dashboard");
    Path jar = ctx.home.resolve("dashboard/target/trendline-dashboard-all.jar");
    List<Long> latencies = new ArrayList<>();
    List<Long> toDashboard = new ArrayList<>();
    List<Long> toPage = new ArrayList<>();
    int missing = 0;
    try (JavaProcess dashboard =
            JavaProcess.start(
                "dashboard",
                Arrays.asList(
                    "-Xmx128m",
                    "-jar",
                    jar.toString(),
                    "--topic",
                    Bench.DASHBOARD_TOPIC,
                    "--http.port",
                    "0",
                    "--kafka.bootstrap.servers",
                    ctx.broker.bootstrapServers()),
                Collections.<String, String>emptyMap(),
                ctx.out.resolve("dashboard.log"));
        Chromium browser = Chromium.start(dir.resolve("browser"), 1600, 1000);
        KafkaProducer<String, String> producer = producer(ctx)) {
      String url = dashboard.awaitLine(ADDRESS, 60_000);
      browser.open(url);
      // The page has its snapshot and the dashboard follows the topic.
      Chromium.await(
          () -> "live".equals(reader(browser)) ? true : null,
          () -> "the dashboard to follow the topic",
          30_000);
      long base = System.currentTimeMillis() / 1000 * 1000;
      Map<Long, Long> acked = new LinkedHashMap<>();
      long next = System.nanoTime();
      for (int i = 0; i < seconds; i++) {
        long batchTime = base + i * 1000L;
        producer
            .send(new ProducerRecord<>(Bench.DASHBOARD_TOPIC, ranking(batchTime, i)))
            .get(30, TimeUnit.SECONDS);
        acked.put(batchTime, System.currentTimeMillis());
        next += TimeUnit.SECONDS.toNanos(1);
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // the load's pace: one ranking a second
        }
      }
      long last = base + (seconds - 1) * 1000L;
      Chromium.await(
          () -> rendered(browser).has(String.valueOf(last)) ? true : null,
          () -> "the page to draw the last ranking",
          30_000);
      JsonObject rendered = rendered(browser);
      JsonObject arrivals = browser.eval("return window.trendline.arrivals();").getAsJsonObject();
      for (Map.Entry<Long, Long> e : acked.entrySet()) {
        JsonElement at = rendered.get(String.valueOf(e.getKey()));
        JsonElement read = arrivals.get(String.valueOf(e.getKey()));
        if (at == null || read == null) {
          missing++;
        } else {
          latencies.add(Math.max(0, at.getAsLong() - e.getValue()));
          // Where the time goes: Kafka to the dashboard's reader, then the reader to the drawing.
          toDashboard.add(read.getAsLong() - e.getValue());
          toPage.add(at.getAsLong() - read.getAsLong());
        }
      }
      browser.screenshot(dir.resolve("page.png"));
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("rankings", seconds);
    r.put("drawn", latencies.size());
    r.put("notDrawn", missing);
    r.put("medianMs", Stats.median(latencies));
    r.put("p90Ms", Stats.quantile(latencies, 0.9));
    r.put("worstMs", latencies.isEmpty() ? Double.NaN : (double) Collections.max(latencies));
    r.put("kafkaToDashboardMedianMs", Stats.median(toDashboard));
    r.put("dashboardToDrawnMedianMs", Stats.median(toPage));
    r.put("latenciesMs", latencies);
    ctx.progress(
        "dashboard: %d rankings, median %.0f ms, worst %.0f ms from written to drawn",
        seconds, r.get("medianMs"), r.get("worstMs"));
    return r;
  }

  private static String reader(Chromium b) throws java.io.IOException {
    return b.evalString("return document.body.getAttribute('data-reader');");
  }

  private static JsonObject rendered(Chromium b) throws java.io.IOException {
    return b.eval("return window.trendline.rendered;").getAsJsonObject();
  }

  private static KafkaProducer<String, String> producer(Bench.Context ctx) {
    Properties p = new Properties();
    p.put("bootstrap.servers", ctx.broker.bootstrapServers());
    p.put("acks", "all");
    p.put("linger.ms", 0);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** A ranking as the consumer writes it: ten keywords whose counts move, and totals. */
  static String ranking(long batchTime, int i) {
    StringBuilder top = new StringBuilder();
    StringBuilder totals = new StringBuilder();
    long total = 0;
    for (int k = 0; k < 10; k++) {
      long count = 1000 - k * 90 + (i * (k + 1)) % 50;
      total += count;
      String row = "{\"keyword\":\"keyword" + k + "\",\"count\":" + count + "}";
      top.append(k == 0 ? "" : ",").append(row);
      totals
          .append(k == 0 ? "" : ",")
          .append("{\"keyword\":\"keyword" + k + "\",\"count\":" + (count * 100 + i) + "}");
    }
    return "{\"batchTime\":"
        + batchTime
        + ",\"windowMs\":300000,\"slideMs\":1000,\"top\":["
        + top
        + "],\"keys\":10000,\"total\":"
        + total
        + ",\"invalidKeys\":0,\"processingMs\":120,\"totals\":{\"top\":["
        + totals
        + "],\"keys\":10000,\"total\":"
        + total * 100
        + "}}";
  }
}
