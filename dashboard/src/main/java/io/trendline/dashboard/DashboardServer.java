package io.trendline.dashboard;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dashboard's HTTP side (the JDK's own server): the page and its scripts, Apache ECharts and
 * its licence from this jar, {@code /events} (Server-Sent Events: a snapshot, then every ranking
 * and a status each second), {@code /api/snapshot} (the same snapshot as one JSON document) and
 * {@code /healthz} (200 while rankings arrive, 503 when stale). GET and HEAD only; nothing is read
 * from a request but its method and path.
 */
final class DashboardServer implements AutoCloseable {
  /** Where the page's own files are in the jar. */
  private static final String WEB = "/io/trendline/dashboard/web/";

  /** Sent to pages with no event for this long, so a dead connection is noticed. */
  static final long KEEP_ALIVE_MS = 15_000;

  private static final class Asset {
    final byte[] body;
    final String type;
    final boolean vendor;

    Asset(byte[] body, String type, boolean vendor) {
      this.body = body;
      this.type = type;
      this.vendor = vendor;
    }
  }

  private final Board board;
  private final HttpServer server;
  private final ExecutorService pool;
  private final Map<String, Asset> assets = new HashMap<>();

  private DashboardServer(Board board, HttpServer server) throws IOException {
    this.board = board;
    this.server = server;
    String echarts =
        "/META-INF/resources/webjars/echarts/" + buildProperty("echarts.version") + "/";
    asset("/", WEB + "index.html", "text/html; charset=utf-8", false);
    asset("/app.js", WEB + "app.js", "text/javascript; charset=utf-8", false);
    asset("/app.css", WEB + "app.css", "text/css; charset=utf-8", false);
    asset("/favicon.svg", WEB + "favicon.svg", "image/svg+xml", false);
    asset(
        "/vendor/echarts.min.js",
        echarts + "dist/echarts.min.js",
        "text/javascript; charset=utf-8",
        true);
    asset("/vendor/echarts/LICENSE", echarts + "LICENSE", "text/plain; charset=utf-8", true);
    asset("/vendor/echarts/NOTICE", echarts + "NOTICE", "text/plain; charset=utf-8", true);
    asset(
        "/vendor/echarts/LICENSE-d3",
        echarts + "licenses/LICENSE-d3",
        "text/plain; charset=utf-8",
        true);
    AtomicInteger threads = new AtomicInteger();
    // Each open page holds a thread for its stream; Board caps the pages.
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
  }

  /**
   * Listens on {@code host:port} (0: a free port) and serves.
   *
   * @throws IOException when the address cannot be listened on, or the jar misses a file
   */
  static DashboardServer start(Board board, String host, int port) throws IOException {
    // Each event is written and flushed as it comes: no waiting to fill a segment (Nagle).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    DashboardServer s;
    try {
      s = new DashboardServer(board, server);
    } catch (IOException | RuntimeException e) {
      server.stop(0);
      throw e;
    }
    server.start();
    return s;
  }

  /** The port listened on. */
  int port() {
    return server.getAddress().getPort();
  }

  private void asset(String path, String resource, String type, boolean vendor) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the jar has no " + resource + " (a broken build)");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 << 10];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
      assets.put(path, new Asset(out.toByteArray(), type, vendor));
    }
  }

  static String buildProperty(String key) throws IOException {
    Properties p = new Properties();
    try (InputStream in =
        DashboardServer.class.getResourceAsStream("/io/trendline/dashboard/build.properties")) {
      if (in == null) {
        throw new IOException("the jar has no build.properties (a broken build)");
      }
      p.load(in);
    }
    String v = p.getProperty(key);
    if (v == null || v.isEmpty() || v.startsWith("$")) {
      throw new IOException("build.properties has no " + key + " (a broken build)");
    }
    return v;
  }

  private void handle(HttpExchange x) throws IOException {
    try {
      Headers h = x.getResponseHeaders();
      h.set("X-Content-Type-Options", "nosniff");
      h.set("Referrer-Policy", "no-referrer");
      h.set("X-Frame-Options", "DENY");
      String method = x.getRequestMethod();
      boolean head = method.equals("HEAD");
      if (!head && !method.equals("GET")) {
        h.set("Allow", "GET, HEAD");
        text(x, 405, "only GET and HEAD\n", false);
        return;
      }
      String path = x.getRequestURI().getRawPath();
      if (path.equals("/events")) {
        events(x, head);
      } else if (path.equals("/api/snapshot")) {
        json(x, 200, board.snapshotJson(), head);
      } else if (path.equals("/healthz")) {
        boolean stale = board.stale();
        json(x, stale ? 503 : 200, board.statusJson(), head);
      } else {
        Asset a = assets.get(path);
        if (a == null) {
          text(x, 404, "not found\n", head);
          return;
        }
        h.set("Content-Type", a.type);
        h.set("Cache-Control", a.vendor ? "public, max-age=86400" : "no-cache");
        if (path.equals("/")) {
          // Scripts and styles only from here: a keyword is shown as text, never run.
          h.set(
              "Content-Security-Policy",
              "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                  + " frame-ancestors 'none'");
        }
        send(x, 200, a.body, head);
      }
    } finally {
      x.close();
    }
  }

  private void events(HttpExchange x, boolean head) throws IOException {
    if (head) {
      x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      x.sendResponseHeaders(200, -1);
      return;
    }
    Board.Page page = board.connect();
    if (page == null) {
      // (The page retries by itself: browsers do not reconnect after an error status.)
      x.getResponseHeaders().set("Retry-After", "10");
      text(x, 503, "too many open pages\n", false);
      return;
    }
    try {
      Headers h = x.getResponseHeaders();
      h.set("Content-Type", "text/event-stream; charset=utf-8");
      h.set("Cache-Control", "no-store");
      // Proxies that buffer (nginx) would hold the events back.
      h.set("X-Accel-Buffering", "no");
      x.sendResponseHeaders(200, 0);
      OutputStream out = x.getResponseBody();
      // A page reconnects two seconds after losing the stream.
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        String frame = page.next(KEEP_ALIVE_MS);
        if (frame == null) {
          if (!page.isOpen()) {
            break;
          }
          frame = ": keep-alive\n\n";
        }
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException e) {
      // The page went away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      page.close();
    }
  }

  private static void json(HttpExchange x, int status, String body, boolean head)
      throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    send(x, status, body.getBytes(StandardCharsets.UTF_8), head);
  }

  private static void text(HttpExchange x, int status, String body, boolean head)
      throws IOException {
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(x, status, body.getBytes(StandardCharsets.UTF_8), head);
  }

  private static void send(HttpExchange x, int status, byte[] body, boolean head)
      throws IOException {
    if (head) {
      x.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops serving: open pages are closed, and the port is released. */
  @Override
  public void close() {
    board.closeAll();
    server.stop(0);
    pool.shutdownNow();
  }
}
