package io.trendline.bench;

import com.google.gson.GsonBuilder;
import io.trendline.broker.KafkaBrokerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark: producer throughput, the matcher, the consumer's window at a full window, its
 * sustainable rate, end-to-end latency and memory, each beside a baseline measured in the same run.
 * Prints a table, writes {@code bench.json} and {@code batch-times.svg} under {@code --out}.
 *
 * <pre>
 * scripts/bench.sh [--smoke] [--out DIR] [--only producer,matcher,window,rate,latency,dashboard]
 *                  [--keys 4,400,10000] [--profile]
 * </pre>
 *
 * <p>{@code --profile} records the producer JVMs with Java Flight Recorder; run the benchmark's own
 * JVM (the consumer's sections) under it with {@code JAVA_OPTS=-XX:StartFlightRecording=...}.
 */
public final class Bench {
  static final String[] ALL = {"producer", "matcher", "window", "rate", "latency", "dashboard"};
  public static final String KEYWORDS = "bitcoin,blockchain,IoT,5G";

  /** What every section gets: where things are, the broker, and how big to go. */
  public static final class Context {
    public final Path home;
    public final Path out;
    public final boolean smoke;
    public final KafkaBrokerProcess broker;
    public final PrintStream log;

    /** With --profile: record the producer JVMs with Java Flight Recorder, under out. */
    public final boolean profile;

    /** With --keys: the window section's key counts. */
    public final int[] windowKeys;

    Context(
        Path home,
        Path out,
        boolean smoke,
        KafkaBrokerProcess broker,
        PrintStream log,
        boolean profile,
        int[] windowKeys) {
      this.home = home;
      this.out = out;
      this.smoke = smoke;
      this.broker = broker;
      this.log = log;
      this.profile = profile;
      this.windowKeys = windowKeys;
    }

    /** JVM options that record {@code name}.jfr under out, with --profile. */
    public java.util.List<String> profiling(String name) {
      if (!profile) {
        return java.util.Collections.emptyList();
      }
      return java.util.Collections.singletonList(
          "-XX:StartFlightRecording=settings=profile,filename=" + out.resolve(name + ".jfr"));
    }

    public Path consumerJar() {
      return home.resolve("consumer/target/trendline-consumer.jar");
    }

    public Path producerJar() {
      return home.resolve("producer/target/trendline-producer-all.jar");
    }

    /** Progress, on stderr, so that stdout holds only the table. */
    public void progress(String format, Object... args) {
      log.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    Path home = Paths.get(".");
    Path out = null;
    boolean smoke = false;
    boolean profile = false;
    int[] windowKeys = null;
    List<String> only = new ArrayList<>(Arrays.asList(ALL));
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--smoke":
          smoke = true;
          break;
        case "--profile":
          profile = true;
          break;
        case "--keys":
          String[] parts = value(args, ++i, "--keys").split(",");
          windowKeys = new int[parts.length];
          for (int k = 0; k < parts.length; k++) {
            try {
              windowKeys[k] = Integer.parseInt(parts[k].trim());
            } catch (NumberFormatException e) {
              usage("--keys takes numbers of keys, such as 4,400,10000");
            }
            if (windowKeys[k] < 1) {
              usage("--keys takes positive numbers");
            }
          }
          break;
        case "--home":
          home = Paths.get(value(args, ++i, "--home"));
          break;
        case "--out":
          out = Paths.get(value(args, ++i, "--out"));
          break;
        case "--only":
          only = Arrays.asList(value(args, ++i, "--only").split(","));
          for (String s : only) {
            if (!Arrays.asList(ALL).contains(s)) {
              usage("unknown section '" + s + "' (sections: " + String.join(",", ALL) + ")");
            }
          }
          break;
        case "-h":
        case "--help":
          System.out.println(
              "usage: scripts/bench.sh [--smoke] [--out DIR] [--only "
                  + String.join(",", ALL)
                  + "] [--keys 4,400,10000] [--profile]");
          return;
        default:
          usage("unknown option '" + args[i] + "'");
      }
    }
    home = home.toAbsolutePath().normalize();
    if (out == null) {
      out = home.resolve(smoke ? "run/bench-smoke" : "run/bench");
    }
    Files.createDirectories(out);
    // A broker of the same --out from an earlier run would hold its records: every section
    // counts what its topics hold, so each run starts on an empty broker.
    deleteTree(out.resolve("kafka"));

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("machine", machine());
    results.put("smoke", smoke);
    results.put("started", Instant.now().toString());
    try (KafkaBrokerProcess broker =
        KafkaBrokerProcess.builder(out.resolve("kafka"))
            .topic(ProducerBench.TOPIC_BARE, 3)
            .topic(ProducerBench.TOPIC_PRODUCER, 3)
            .topic(ProducerBench.TOPIC_NAIVE, 3)
            .topic(ProducerBench.TOPIC_FLOOR, 3)
            .topic(RATE_TOPIC, 3)
            .topic(LATENCY_TOPIC, 3)
            .topic(DASHBOARD_TOPIC, 1)
            .jvmOption("-Xmx1g")
            .start()) {
      Context ctx = new Context(home, out, smoke, broker, System.err, profile, windowKeys);
      ctx.progress("broker at %s; results in %s", broker.bootstrapServers(), out);
      for (String section : ALL) {
        if (!only.contains(section)) {
          continue;
        }
        long t0 = System.nanoTime();
        ctx.progress("--- %s", section);
        results.put(section, run(section, ctx));
        ctx.progress("--- %s done in %.0f s", section, (System.nanoTime() - t0) / 1e9);
      }
    }
    results.put("finished", Instant.now().toString());
    Files.write(
        out.resolve("bench.json"),
        new GsonBuilder()
            .setPrettyPrinting()
            .serializeSpecialFloatingPointValues()
            .create()
            .toJson(results)
            .getBytes(StandardCharsets.UTF_8));
    String table = Report.table(results);
    Files.write(out.resolve("bench.txt"), table.getBytes(StandardCharsets.UTF_8));
    System.out.print(table);
    System.out.println("Figures: " + out.resolve("bench.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> window = (Map<String, Object>) results.get("window");
    if (window != null) {
      Path svg = out.resolve("batch-times.svg");
      Files.write(svg, Report.chart(window).getBytes(StandardCharsets.UTF_8));
      System.out.println("Chart:   " + svg);
    }
    // Spark leaves non-daemon threads behind.
    System.exit(0);
  }

  public static final String RATE_TOPIC = "bench-rate";
  public static final String LATENCY_TOPIC = "bench-e2e";
  public static final String DASHBOARD_TOPIC = "bench-rankings";

  private static Object run(String section, Context ctx) throws Exception {
    switch (section) {
      case "producer":
        return ProducerBench.run(ctx);
      case "matcher":
        return MatcherBench.run(ctx);
      case "window":
        return WindowBench.run(ctx);
      case "rate":
        return RateBench.run(ctx);
      case "latency":
        return LatencyBench.run(ctx);
      case "dashboard":
        return DashboardBench.run(ctx);
      default:
        throw new IllegalArgumentException(section);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>();
      paths.forEach(all::add);
      Collections.reverse(all);
      for (Path p : all) {
        Files.delete(p);
      }
    }
  }

  private static Map<String, Object> machine() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    Path cpuinfo = Paths.get("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
          break;
        }
      }
    }
    Path meminfo = Paths.get("/proc/meminfo");
    if (Files.isReadable(meminfo)) {
      for (String line : Files.readAllLines(meminfo, StandardCharsets.UTF_8)) {
        if (line.startsWith("MemTotal:")) {
          m.put("memoryMb", Long.parseLong(line.replaceAll("\\D", "")) / 1024);
          break;
        }
      }
    }
    return m;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      usage(flag + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("bench: " + problem);
    System.exit(2);
  }
}
