package io.trendline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's table (plain text) and chart (SVG) from its results. */
final class Report {
  private Report() {}

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private static double num(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  static String table(Map<String, Object> r) {
    StringBuilder sb = new StringBuilder();
    Map<String, Object> machine = map(r.get("machine"));
    sb.append(
        String.format(
            Locale.ROOT,
            "Trendline benchmark%s: %s cores (%s), %s MB, %s%n",
            Boolean.TRUE.equals(r.get("smoke")) ? " (SMOKE: tiny sizes, figures meaningless)" : "",
            machine.get("cores"),
            machine.getOrDefault("cpu", "?"),
            machine.getOrDefault("memoryMb", "?"),
            machine.get("java")));
    if (r.containsKey("producer")) {
      Map<String, Object> p = map(r.get("producer"));
      sb.append(
          String.format(
              Locale.ROOT,
              "%n1. Producer throughput (%,d statuses of %,d bytes on average, unthrottled, %d"
                  + " passes; measured after the first)%n",
              ((Number) p.get("statuses")).longValue(),
              ((Number) p.get("averageStatusBytes")).longValue(),
              ((Number) p.getOrDefault("passes", 1)).intValue()));
      sb.append(String.format(Locale.ROOT, "   %-44s %12s %10s%n", "", "statuses/s", "x bare"));
      for (String[] v :
          new String[][] {
            {"bare", "bare KafkaProducer, same records (ceiling)"},
            {"producer", "trendline producer (Hosebird, match, send)"},
            {"floor", "floor: its Hosebird and send, keys known"},
            {"naive", "naive (substring of raw JSON, INFO log)"},
            {"source", "stream server -> Hosebird alone, no Kafka"}
          }) {
        Map<String, Object> m = map(p.get(v[0]));
        if (m == null) {
          continue;
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "   %-44s %,12.0f %10.2f%s%n",
                v[1],
                num(m, "statusesPerSecond"),
                num(m, "ratioToBare"),
                Boolean.TRUE.equals(m.get("complete")) ? "" : "  (incomplete)"));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "   CPU ms per 1,000 statuses   %10s %14s %14s %8s%n",
              "variant",
              "stream server",
              "broker & rest",
              "busy"));
      for (String v : new String[] {"bare", "producer", "floor", "naive"}) {
        if (map(p.get(v)) == null) {
          continue;
        }
        Map<String, Object> c = map(map(p.get(v)).get("cpu"));
        if (c != null) {
          Object ratio = map(p.get(v)).get("cpuRatioToBare");
          sb.append(
              String.format(
                  Locale.ROOT,
                  "   %-27s %10.0f %14.0f %14.0f %7.0f%%%s%n",
                  v,
                  num(c, "variantMsPer1000"),
                  num(c, "streamServerMsPer1000"),
                  num(c, "restMsPer1000"),
                  num(c, "machineBusy") * 100,
                  ratio == null
                      ? ""
                      : String.format(Locale.ROOT, "   bare/variant %.2f", (Double) ratio)));
          Map<String, Object> threads = map(c.get("variantThreadsMsPer1000"));
          if (threads != null && !threads.isEmpty()) {
            StringBuilder t = new StringBuilder();
            for (Map.Entry<String, Object> e : threads.entrySet()) {
              t.append(t.length() == 0 ? "" : ", ")
                  .append(e.getKey())
                  .append(' ')
                  .append(
                      String.format(Locale.ROOT, "%.1f", ((Number) e.getValue()).doubleValue()));
            }
            Object steady = map(p.get(v)).get("cpuRatioToBareWithoutJit");
            sb.append(
                String.format(
                    Locale.ROOT,
                    "     %s's threads: %s%s%n",
                    v,
                    t,
                    steady == null
                        ? ""
                        : String.format(
                            Locale.ROOT,
                            "   without jit: bare/variant %.2f",
                            ((Number) steady).doubleValue())));
          }
        }
      }
      sb.append(
          "   target (issue 15): producer >= 0.85 x bare by CPU per status (bare/variant above;"
              + " without jit: the compilers' threads left out, the steady state)\n");
    }
    if (r.containsKey("matcher")) {
      Map<String, Object> m = map(r.get("matcher"));
      sb.append("\n2. Matcher alone (JMH, one status per operation)\n");
      sb.append(String.format(Locale.ROOT, "   %-44s %12s %10s%n", "", "ops/s", "x substr"));
      for (String[] v :
          new String[][] {
            {"parseAndMatch", "parse JSON + track match (the producer's work)"},
            {"matchParsed", "track match of a parsed status"},
            {"substring", "lower-case + substring search of raw JSON"}
          }) {
        Map<String, Object> b = map(m.get(v[0]));
        sb.append(
            String.format(
                Locale.ROOT,
                "   %-44s %,12.0f %10.2f%n",
                v[1],
                num(b, "opsPerSecond"),
                num(b, "ratioToSubstring")));
      }
    }
    if (r.containsKey("window")) {
      Map<String, Object> w = map(r.get("window"));
      sb.append(
          String.format(
              Locale.ROOT,
              "%n3. Consumer batch time at a full window (local[2], %d records/batch, window %d"
                  + " batches; median processing time of batches %d-%d)%n",
              ((Number) w.get("recordsPerBatch")).intValue(),
              ((Number) w.get("windowBatches")).intValue(),
              ((Number) w.get("windowBatches")).intValue() + 1,
              ((Number) w.get("batches")).intValue()));
      sb.append(
          String.format(
              Locale.ROOT,
              "   %6s %9s %9s %9s %9s %13s %7s %14s %15s %15s%n",
              "keys",
              "consumer",
              "spark-inv",
              "bare",
              "plain",
              "consumer/bare",
              "(wall)",
              "plain/consumer",
              "spark-inv/cons.",
              "cons./4 keys"));
      for (Map.Entry<String, Object> e : map(w.get("keys")).entrySet()) {
        Map<String, Object> row = map(e.getValue());
        sb.append(
            String.format(
                Locale.ROOT,
                "   %6s %9.0f %9.0f %9.0f %9.0f %13.2f %7.2f %14.2f %15.2f %15.2f%n",
                e.getKey(),
                num(map(row.get("consumer")), "fullWindowMedianMs"),
                num(map(row.get("spark-inverse")), "fullWindowMedianMs"),
                num(map(row.get("bare")), "fullWindowMedianMs"),
                num(map(row.get("plain")), "fullWindowMedianMs"),
                num(row, "consumerOverBare"),
                num(row, "consumerOverBareWall"),
                num(row, "plainOverConsumer"),
                num(row, "sparkInverseOverConsumer"),
                num(row, "consumerOverFewestKeys")));
      }
      sb.append("   means (ms, checkpoint batches included):");
      for (Map.Entry<String, Object> e : map(w.get("keys")).entrySet()) {
        Map<String, Object> row = map(e.getValue());
        sb.append(
            String.format(
                Locale.ROOT,
                " %s keys: consumer %.0f, spark-inv %.0f, bare %.0f, plain %.0f;",
                e.getKey(),
                num(map(row.get("consumer")), "fullWindowMeanMs"),
                num(map(row.get("spark-inverse")), "fullWindowMeanMs"),
                num(map(row.get("bare")), "fullWindowMeanMs"),
                num(map(row.get("plain")), "fullWindowMeanMs")));
      }
      sb.append('\n');
      sb.append(
          String.format(
              Locale.ROOT,
              "   Spark's account of a batch (medians of the same batches; task times summed over"
                  + " the two task threads)%n"
                  + "   %6s %-14s %5s %7s %6s %10s %10s %9s %8s %12s %13s%n",
              "keys",
              "program",
              "jobs",
              "stages",
              "tasks",
              "processing",
              "in stages",
              "in tasks",
              "running",
              "deserializing",
              "jobs outside"));
      for (Map.Entry<String, Object> e : map(w.get("keys")).entrySet()) {
        Map<String, Object> row = map(e.getValue());
        for (String v : new String[] {"consumer", "spark-inverse", "bare", "plain"}) {
          if (!row.containsKey(v) || !map(row.get(v)).containsKey("sparkPerBatch")) {
            continue;
          }
          Map<String, Object> s = map(map(row.get(v)).get("sparkPerBatch"));
          sb.append(
              String.format(
                  Locale.ROOT,
                  "   %6s %-14s %5.0f %7.0f %6.0f %10.0f %10.0f %9.0f %8.0f %12.0f %13.0f%n",
                  e.getKey(),
                  v,
                  num(s, "jobs"),
                  num(s, "stages"),
                  num(s, "tasks"),
                  num(map(row.get(v)), "fullWindowMedianMs"),
                  num(s, "stageMs"),
                  num(s, "taskMs"),
                  num(s, "taskRunMs"),
                  num(s, "taskDeserializeMs"),
                  num(s, "jobsOutsideBatches")));
        }
      }
      sb.append(
          "   consumer = its graph and defaults (the window as its own state, one partition);"
              + " spark-inv = the same graph on"
              + " Spark's reduceByKeyAndWindow with an inverse;\n"
              + "   bare = the minimal inverse program (reduceByKeyAndWindow(sum, minus), sortByKey,"
              + " take 10); (wall): clock tick to batch end, which\n"
              + "   also counts the work Spark does while it generates a batch's jobs (bare's"
              + " sortByKey samples, so computes, its window then)\n"
              + "   targets (issue 15): consumer/bare <= 1.2 at 4 keys, <= 1.3 at 10,000;"
              + " plain/consumer >= 6 at 10,000; consumer/4 keys <= 1.5\n"
              + "   in stages: while one of the batch's stages ran; jobs outside: jobs of the whole"
              + " run that no batch ran (run while batches' jobs were generated)\n");
    }
    if (r.containsKey("rate")) {
      Map<String, Object> q = map(r.get("rate"));
      sb.append(
          "\n4. Sustainable rate (1-second batches take at most the interval, mean of ten)\n");
      sb.append(
          String.format(
              Locale.ROOT,
              "   plain KafkaConsumer, one thread   %,12.0f records/s%n",
              num(q, "rawReadOneThreadRecordsPerSecond")));
      sb.append(
          String.format(
              Locale.ROOT,
              "   plain, a thread per partition     %,12.0f records/s%n",
              num(q, "rawReadThreadPerPartitionRecordsPerSecond")));
      if (q.containsKey("rawReadByClientSettings")) {
        for (Map.Entry<String, Object> e : map(q.get("rawReadByClientSettings")).entrySet()) {
          Map<String, Object> b = map(e.getValue());
          sb.append(
              String.format(
                  Locale.ROOT,
                  "     %s: one thread %,.0f, a thread per partition %,.0f%n",
                  e.getKey(),
                  num(b, "oneThreadRecordsPerSecond"),
                  num(b, "threadPerPartitionRecordsPerSecond")));
        }
      }
      Map<String, Object> consumers = map(q.get("consumers"));
      for (Map.Entry<String, Object> c : consumers.entrySet()) {
        Map<String, Object> m = map(c.getValue());
        sb.append(
            String.format(
                Locale.ROOT,
                "   consumer, %-23s sustainable %s%,11.0f records/s  (%.2f x the best"
                    + " plain)%n",
                c.getKey(),
                Boolean.TRUE.equals(m.get("bounded")) ? " " : ">",
                num(m, "sustainableRecordsPerSecond"),
                num(m, "ratioToRawRead")));
        if (m.containsKey("meanReadStageMsAtSustainable")) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "     at it, a batch took %.0f ms, reading Kafka %.0f of them (%,.0f records/s"
                      + " while reading, %.2f x the best plain)%n",
                  num(m, "meanMsAtSustainable"),
                  num(m, "meanReadStageMsAtSustainable"),
                  num(m, "recordsPerSecondWhileReadingAtSustainable"),
                  num(m, "whileReadingRatioToRawRead")));
        }
        if (m.containsKey("readStageFixedMsPerBatch")) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  "     reading, fitted over its levels: %.0f ms a batch + %,.0f records/s (%.2f x"
                      + " the best plain)%n",
                  num(m, "readStageFixedMsPerBatch"),
                  num(m, "readStageRecordsPerSecond"),
                  num(m, "readStageRatioToRawRead")));
        }
      }
      sb.append(
          "   target (issue 15): >= 1.0 x the best plain reader, with as many task threads as"
              + " partitions\n");
    }
    if (r.containsKey("latency")) {
      Map<String, Object> l = map(r.get("latency"));
      sb.append(
          String.format(
              Locale.ROOT,
              "%n5. End to end, stream server -> producer -> Kafka -> consumer output (%d"
                  + " statuses/s for %d s)%n",
              ((Number) l.get("statusesPerSecond")).intValue(),
              ((Number) l.get("seconds")).intValue()));
      sb.append(
          String.format(
              Locale.ROOT,
              "   %,d records measured: p50 %.0f ms, p99 %.0f ms, max %.0f ms; batch processing"
                  + " median %.0f ms%n",
              ((Number) l.get("recordsMeasured")).longValue(),
              num(l, "p50Ms"),
              num(l, "p99Ms"),
              num(l, "maxMs"),
              num(l, "batchProcessingMedianMs")));
      sb.append("   target (issue 15): p99 <= 1200 ms at 1,000 statuses/s\n");
    }
    sb.append("\n6. Memory\n");
    if (r.containsKey("latency")) {
      sb.append(
          "   producer resident MB by second of the run: "
              + compact(map(map(r.get("latency")).get("producerResidentMb")))
              + "\n");
    }
    if (r.containsKey("window")) {
      for (Map.Entry<String, Object> e : map(map(r.get("window")).get("keys")).entrySet()) {
        Map<String, Object> row = map(e.getValue());
        if (row.get("consumer") == null) {
          continue; // a run of other variants only (a profile)
        }
        sb.append(
            String.format(
                Locale.ROOT,
                "   consumer heap after GC, MB by batch, %5s keys: %s%n",
                e.getKey(),
                compact(map(map(row.get("consumer")).get("heapAfterGcMb")))));
      }
    }
    if (r.containsKey("dashboard")) {
      Map<String, Object> d = map(r.get("dashboard"));
      sb.append(
          String.format(
              Locale.ROOT,
              "%n7. Dashboard: from a ranking written to Kafka to the page having drawn it (one a"
                  + " second, headless Chromium)%n"
                  + "   %d of %d drawn: median %.0f ms, p90 %.0f ms, worst %.0f ms (median: Kafka to"
                  + " the dashboard %.0f ms, the dashboard to the page drawn %.0f ms)%n",
              ((Number) d.get("drawn")).intValue(),
              ((Number) d.get("rankings")).intValue(),
              num(d, "medianMs"),
              num(d, "p90Ms"),
              num(d, "worstMs"),
              num(d, "kafkaToDashboardMedianMs"),
              num(d, "dashboardToDrawnMedianMs")));
    }
    return sb.toString();
  }

  private static String compact(Map<String, Object> m) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      parts.add(
          e.getKey()
              + ":"
              + String.format(Locale.ROOT, "%.0f", ((Number) e.getValue()).doubleValue()));
    }
    return String.join(" ", parts);
  }

  private static final String[] COLOURS = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"
  };

  /** Batch processing time over the run, one line per (window, keys), log-scaled time. */
  static String chart(Map<String, Object> window) {
    Map<String, Object> series = map(window.get("series"));
    int w = 900;
    int h = 480;
    int left = 70;
    int right = 200;
    int top = 40;
    int bottom = 50;
    int batches = ((Number) window.get("batches")).intValue();
    int full = ((Number) window.get("windowBatches")).intValue();
    double max = 1;
    double min = Double.MAX_VALUE;
    for (Object s : series.values()) {
      for (Object v : (List<?>) s) {
        double d = Math.max(1, ((Number) v).doubleValue());
        max = Math.max(max, d);
        min = Math.min(min, d);
      }
    }
    double lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, min))));
    double hi = Math.pow(10, Math.ceil(Math.log10(max)));
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n",
            w,
            h));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"22\" font-size=\"15\">Consumer batch processing time, local[2],"
                + " %s records/batch (log scale)</text>%n",
            left,
            window.get("recordsPerBatch")));
    int pw = w - left - right;
    int ph = h - top - bottom;
    for (double t = lo; t <= hi * 1.001; t *= 10) {
      double y =
          top + ph - ph * (Math.log10(t) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f ms</text>%n",
              left,
              left + pw,
              y,
              y,
              left - 6,
              y + 4,
              t));
    }
    double fx = left + pw * (double) full / batches;
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#999\""
                + " stroke-dasharray=\"4 4\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">"
                + "window full</text>%n",
            fx,
            fx,
            top,
            top + ph,
            fx - 4,
            top + 14));
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>"
                + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">batch (1 s each)</text>%n",
            left,
            left + pw,
            top + ph,
            top + ph,
            left + pw / 2,
            h - 12));
    for (int b = 0; b <= batches; b += Math.max(1, batches / 6 / 10 * 10)) {
      double x = left + pw * (double) b / batches;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n",
              x,
              top + ph + 16,
              b));
    }
    int i = 0;
    for (Map.Entry<String, Object> e : series.entrySet()) {
      String colour = COLOURS[i % COLOURS.length];
      boolean plain = e.getKey().startsWith("plain");
      StringBuilder points = new StringBuilder();
      List<?> values = (List<?>) e.getValue();
      for (int b = 0; b < values.size(); b++) {
        double v = Math.max(lo, ((Number) values.get(b)).doubleValue());
        double x = left + pw * (b + 1.0) / batches;
        double y =
            top + ph - ph * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.2\"%s points=\"%s\"/>%n",
              colour,
              plain ? " stroke-dasharray=\"5 2\"" : "",
              points.toString().trim()));
      int ly = top + 10 + i * 18;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                  + "<text x=\"%d\" y=\"%d\">%s keys</text>%n",
              left + pw + 12,
              left + pw + 36,
              ly,
              ly,
              colour,
              plain ? " stroke-dasharray=\"5 2\"" : "",
              left + pw + 42,
              ly + 4,
              e.getKey().replace("-", ", ")));
      i++;
    }
    sb.append("</svg>\n");
    return sb.toString();
  }
}
