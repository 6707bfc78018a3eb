package io.trendline.dashboard;

import io.trendline.common.config.ConfigException;
import io.trendline.common.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar trendline-dashboard-all.jar --topic RANKINGS [--key value]...}: reads the
 * consumer's ranking topic and serves a live page of it. Prints {@code Dashboard:
 * http://HOST:PORT/} once it listens; runs until SIGINT/SIGTERM.
 *
 * <p>Exit codes: 1 the address cannot be listened on, 2 a configuration error; stopped by SIGINT or
 * SIGTERM it closes the pages and Kafka and ends as the JVM does on that signal (130, 143).
 */
public final class DashboardMain {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardMain.class);

  private DashboardMain() {}

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dashboard-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    int code;
    try {
      code = run(args, System.getenv(), System.out, System.err, stop);
    } finally {
      stopped.countDown();
    }
    if (code != 0) {
      Runtime.getRuntime().removeShutdownHook(hook);
      System.exit(code);
    }
  }

  /** Runs until {@code stop} is released; returns the exit code. */
  static int run(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop)
      throws InterruptedException {
    if (ConfigLoader.wantsHelp(args)) {
      out.println("usage: java -jar trendline-dashboard-all.jar --topic RANKINGS [--key value]...");
      out.println();
      out.println(
          "Serves a live page of the consumer's rankings (its sink.kafka.topic): the top keywords,"
              + " their last minutes, the pipeline's health and the all-time totals.");
      out.println("Settings: defaults < --config FILE < TRENDLINE_DASHBOARD_* env < flags.\n");
      out.println("  --config FILE\n      A properties file with any of the keys below.");
      out.print(DashboardSettings.help());
      return 0;
    }
    DashboardSettings settings;
    try {
      settings = DashboardSettings.load(args, env);
    } catch (ConfigException e) {
      err.println("trendline-dashboard: " + e.getMessage());
      return 2;
    }
    String changed = settings.describe();
    if (!changed.isEmpty()) {
      LOG.info("Settings: {}", changed);
    }
    Board board =
        new Board(
            settings.topic(),
            settings.history().toMillis(),
            settings.staleAfter().toMillis(),
            settings.maxPages(),
            // A page gets a ranking and a status a second: this is minutes of slack.
            1024,
            System::currentTimeMillis);
    DashboardServer server;
    try {
      server = DashboardServer.start(board, settings.httpHost(), settings.httpPort());
    } catch (IOException e) {
      err.println(
          "trendline-dashboard: cannot serve on "
              + settings.httpHost()
              + ":"
              + settings.httpPort()
              + ": "
              + e.getMessage());
      return 1;
    }
    TopicReader reader =
        new TopicReader(
            settings.kafkaProperties(),
            settings.topic(),
            settings.history().toMillis(),
            settings.maxRecordBytes(),
            board,
            System::currentTimeMillis);
    Thread readerThread = new Thread(reader, "topic-reader");
    readerThread.setDaemon(true);
    readerThread.start();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "status-tick");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleAtFixedRate(board::tick, 1, 1, TimeUnit.SECONDS);
    out.println("Dashboard: http://" + shownHost(settings.httpHost()) + ":" + server.port() + "/");
    out.flush();
    try {
      stop.await();
    } finally {
      ticker.shutdownNow();
      reader.close();
      server.close();
      readerThread.join(5000);
      LOG.info(
          "Stopped: {} rankings read, {} bad records, {} slow pages disconnected",
          board.rankings(),
          board.badRecords(),
          board.droppedPages());
    }
    return 0;
  }

  /** The host to print: a wildcard address is shown as this machine's name. */
  static String shownHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::")) {
      try {
        return InetAddress.getLocalHost().getCanonicalHostName();
      } catch (UnknownHostException e) {
        return host;
      }
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
