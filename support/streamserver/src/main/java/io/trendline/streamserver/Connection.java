package io.trendline.streamserver;

import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One accepted socket: reads the request, answers it, and for a stream writes messages until the
 * client leaves, a fault ends it, or the server stops. Runs on its own thread (plus a reader thread
 * that notices the client hanging up while the stream is idle); {@link #abort} may be called from
 * any thread.
 */
final class Connection implements Runnable {
  static final String FILTER_PATH = "/1.1/statuses/filter.json";
  static final String V2_STREAM_PATH = "/2/tweets/search/stream";
  static final String V2_RULES_PATH = "/2/tweets/search/stream/rules";
  private static final String PROBLEMS = "https://api.twitter.com/2/problems/";

  private static final int HEAD_TIMEOUT_MS = 30_000;

  private static final Pattern CONSUMER_KEY =
      Pattern.compile("oauth_consumer_key\\s*=\\s*\"([^\"]*)\"");

  private final StreamServer server;
  private final Socket socket;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private volatile Subscriber sub;
  private volatile boolean peerClosed;

  /** {@code ticker} and {@code sleeper} time the stream's keep-alives, stalls and resets. */
  Connection(StreamServer server, Socket socket, Ticker ticker, Sleeper sleeper) {
    this.server = server;
    this.socket = socket;
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  @Override
  public void run() {
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(HEAD_TIMEOUT_MS);
      InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
      OutputStream out = socket.getOutputStream();
      HttpRequest req;
      try {
        req = HttpRequest.read(in, out);
      } catch (HttpRequest.BadRequest e) {
        server.httpRequests.incrementAndGet();
        reject(out, e.status, e.getMessage(), false);
        return;
      }
      if (req == null) {
        return;
      }
      server.httpRequests.incrementAndGet();
      route(req, in, out);
    } catch (IOException e) {
      // The client went away while we answered: nothing to tell anyone.
    } finally {
      closeQuietly();
      server.forget(this);
    }
  }

  /** Ends this connection at once from another thread (server shutdown). */
  void abort(String reason) {
    Subscriber s = sub;
    if (s != null) {
      s.close(reason);
    }
    closeQuietly();
  }

  private void route(HttpRequest req, InputStream in, OutputStream out) throws IOException {
    if (req.path.equals("/stats") || req.path.equals("/stats.json")) {
      if (!req.method.equals("GET")) {
        reject(out, 405, "use GET for /stats", false);
        return;
      }
      respond(out, 200, "application/json", server.stats().toJson() + "\n");
      return;
    }
    if (server.api.v2() && (req.path.equals(V2_STREAM_PATH) || req.path.equals(V2_RULES_PATH))) {
      routeV2(req, in, out);
      return;
    }
    if (!req.path.equals(FILTER_PATH) || !server.api.v1()) {
      reject(out, 404, "no such endpoint: " + req.path, false);
      return;
    }
    if (!req.method.equals("POST") && !req.method.equals("GET")) {
      reject(out, 405, "use POST for " + FILTER_PATH, false);
      return;
    }
    String auth = req.header("authorization");
    if (auth == null || !auth.regionMatches(true, 0, "OAuth ", 0, 6)) {
      reject(out, 401, "an Authorization: OAuth header is required", false);
      return;
    }
    String requiredKey = server.requiredConsumerKey;
    if (requiredKey != null) {
      String key = consumerKey(auth);
      if (!requiredKey.equals(key)) {
        reject(out, 401, "unknown oauth_consumer_key", false);
        return;
      }
    }
    long attempt = server.attempts.incrementAndGet();
    int code = server.faults.httpCodeFor(attempt);
    if (code == 0) {
      code = server.injected.nextHttpCode();
    }
    if (code != 0) {
      server.total.faultsFired(1);
      reject(out, code, "injected fault: attempt " + attempt + " answered " + code, true);
      return;
    }
    Map<String, String> form = req.form();
    String track = form.containsKey("track") ? form.get("track") : req.query.get("track");
    KeywordList keywords;
    try {
      keywords = KeywordList.parse(track);
    } catch (IllegalArgumentException e) {
      reject(out, 406, "Parameter track: " + e.getMessage(), false);
      return;
    }
    String delimited =
        form.containsKey("delimited") ? form.get("delimited") : req.query.get("delimited");
    if (delimited != null && !delimited.equals("length")) {
      reject(out, 406, "Parameter delimited: only 'length' is supported", false);
      return;
    }
    stream(
        in,
        out,
        Dialect.v1(new TrackMatcher(keywords)),
        track,
        "track=" + track,
        delimited != null,
        0,
        () -> {});
  }

  // ---- X API v2 ----

  private void routeV2(HttpRequest req, InputStream in, OutputStream out) throws IOException {
    String auth = req.header("authorization");
    String token =
        auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
            ? auth.substring(7).trim()
            : null;
    if (token == null
        || token.isEmpty()
        || (server.requiredBearerToken != null && !server.requiredBearerToken.equals(token))) {
      problem(
          out,
          401,
          "Unauthorized",
          "Unauthorized",
          "about:blank",
          token == null ? "no bearer token" : "unknown bearer token");
      return;
    }
    if (req.path.equals(V2_RULES_PATH)) {
      if (req.method.equals("GET")) {
        respond(out, 200, "application/json", V2Rules.list(server.rules, server.clock) + "\n");
      } else if (req.method.equals("POST")) {
        V2Rules.Answer a = V2Rules.change(server.rules, req, server.clock);
        if (a.status >= 400) {
          server.rejected(a.status);
        }
        server.log("rules " + req.query + ": " + a.log);
        respond(out, a.status, "application/json", a.body + "\n");
      } else {
        reject(out, 405, "use GET or POST for " + V2_RULES_PATH, false);
      }
      return;
    }
    if (!req.method.equals("GET")) {
      reject(out, 405, "use GET for " + V2_STREAM_PATH, false);
      return;
    }
    String backfill = req.query.get("backfill_minutes");
    if (backfill != null && !backfill.matches("[0-5]")) {
      problem(
          out,
          400,
          "Invalid Request",
          "The `backfill_minutes` query parameter value [" + backfill + "] is not between 0 and 5",
          PROBLEMS + "invalid-request",
          "bad backfill_minutes");
      return;
    }
    long attempt = server.attempts.incrementAndGet();
    int code = server.faults.httpCodeFor(attempt);
    if (code == 0) {
      code = server.injected.nextHttpCode();
    }
    if (code != 0) {
      server.total.faultsFired(1);
      if (code == 429) {
        rateLimited(out, "injected fault: attempt " + attempt + " answered 429");
      } else {
        problem(
            out,
            code,
            reason(code),
            reason(code),
            "about:blank",
            "injected fault: attempt " + attempt + " answered " + code);
      }
      return;
    }
    if (server.rules.list().isEmpty()) {
      problem(
          out,
          409,
          "ConnectionException",
          "This stream has no rules: add rules before connecting.",
          PROBLEMS + "streaming-connection",
          "no rules");
      return;
    }
    int minutes = backfill == null ? 0 : Integer.parseInt(backfill);
    int open = server.openV2Streams.incrementAndGet();
    java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();
    // Released as the stream ends, before its stats say so: a client that saw it closed may
    // connect again at once.
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            server.openV2Streams.decrementAndGet();
          }
        };
    try {
      if (server.maxV2Streams > 0 && open > server.maxV2Streams) {
        server.rejected(429);
        server.log("rejected " + remote() + " with 429: too many connections (" + open + ")");
        String body =
            Json.write(
                w -> {
                  w.beginObject();
                  w.name("title").value("ConnectionException");
                  w.name("detail")
                      .value("This stream is currently at the maximum allowed connection limit.");
                  w.name("connection_issue").value("TooManyConnections");
                  w.name("type").value(PROBLEMS + "streaming-connection");
                  w.endObject();
                });
        respond(out, 429, "application/json", body + "\n", rateLimitHeaders());
        return;
      }
      stream(
          in,
          out,
          Dialect.v2(server.rules, server.recentPosts, server.clock),
          "v2",
          "v2 with "
              + server.rules.list().size()
              + " rules"
              + (minutes > 0 ? ", backfill " + minutes + " min" : ""),
          false,
          minutes,
          release);
    } finally {
      release.run();
    }
  }

  /** A 429 as X sends it: the rate-limit headers, the reset at the end of the window. */
  private void rateLimited(OutputStream out, String why) throws IOException {
    server.rejected(429);
    server.log("rejected " + remote() + " with 429 (injected): " + why);
    String body =
        Json.write(
            w ->
                w.beginObject()
                    .name("title")
                    .value("Too Many Requests")
                    .name("detail")
                    .value("Too Many Requests")
                    .name("type")
                    .value("about:blank")
                    .name("status")
                    .value(429)
                    .endObject());
    respond(out, 429, "application/json", body + "\n", rateLimitHeaders());
  }

  private String rateLimitHeaders() {
    long resetSeconds = (server.clock.millis() + server.rateLimitWindow.toMillis() + 999) / 1000;
    return "x-rate-limit-limit: 50\r\nx-rate-limit-remaining: 0\r\nx-rate-limit-reset: "
        + resetSeconds
        + "\r\n";
  }

  /** An error answer in X's problem format. */
  private void problem(
      OutputStream out, int status, String title, String detail, String type, String why)
      throws IOException {
    server.rejected(status);
    server.log("rejected " + remote() + " with " + status + ": " + why);
    String body =
        Json.write(
            w ->
                w.beginObject()
                    .name("title")
                    .value(title)
                    .name("detail")
                    .value(detail)
                    .name("type")
                    .value(type)
                    .name("status")
                    .value(status)
                    .endObject());
    respond(out, status, "application/json", body + "\n");
  }

  /** The value of oauth_consumer_key in an OAuth header, percent-decoded; null if absent. */
  static String consumerKey(String authorization) {
    Matcher m = CONSUMER_KEY.matcher(authorization);
    if (!m.find()) {
      return null;
    }
    try {
      return HttpRequest.decodeForm("k=" + m.group(1).replace("+", "%2B")).get("k");
    } catch (HttpRequest.BadRequest e) {
      return m.group(1);
    }
  }

  private void reject(OutputStream out, int status, String message, boolean fault)
      throws IOException {
    server.rejected(status);
    server.log(
        "rejected " + remote() + " with " + status + (fault ? " (injected)" : "") + ": " + message);
    respond(out, status, "text/plain; charset=UTF-8", message + "\n");
  }

  private static void respond(OutputStream out, int status, String type, String body)
      throws IOException {
    respond(out, status, type, body, "");
  }

  /** {@code headers}: extra header lines, each ending in CRLF. */
  private static void respond(
      OutputStream out, int status, String type, String body, String headers) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: "
            + type
            + "\r\nContent-Length: "
            + b.length
            + "\r\n"
            + headers
            + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 406:
        return "Not Acceptable";
      case 409:
        return "Conflict";
      case 411:
        return "Length Required";
      case 413:
        return "Payload Too Large";
      case 416:
        return "Range Not Satisfiable";
      case 420:
        return "Enhance Your Calm";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 502:
        return "Bad Gateway";
      case 503:
        return "Service Unavailable";
      case 504:
        return "Gateway Timeout";
      default:
        return status < 500 ? "Client Error" : "Server Error";
    }
  }

  // ---- Streaming ----

  private void stream(
      InputStream in,
      OutputStream out,
      Dialect dialect,
      String filter,
      String described,
      boolean delimited,
      int backfillMinutes,
      Runnable onEnd)
      throws IOException {
    long number = server.streamsOpened.incrementAndGet();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(0);
    Counters counters = new Counters(server.total);
    Subscriber s;
    try {
      s = server.hub.subscribe();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    sub = s;
    StreamServer.StreamEntry entry = server.register(number, remote(), filter, delimited, counters);
    server.log(
        "stream "
            + number
            + " open "
            + remote()
            + " "
            + described
            + (delimited ? " delimited=length" : ""));
    server.execute(() -> watchForHangUp(in, s));
    ChunkedWriter writer = new ChunkedWriter(out, delimited);
    Streamer streamer =
        new Streamer(
            number,
            s,
            writer,
            dialect,
            counters,
            server.faults.forStream(number),
            server.keepAlive,
            server.clock,
            ticker,
            sleeper,
            server::log,
            this::endSocket,
            server.injected,
            server.delivered);
    String reason;
    try {
      if (backfillMinutes > 0) {
        backfill(writer, dialect, counters, number, backfillMinutes);
      }
      reason = streamer.run();
    } catch (IOException e) {
      reason = "write failed: " + e.getMessage();
    } catch (InterruptedException e) {
      reason = "server stopped";
    }
    if (peerClosed && reason.startsWith("write failed")) {
      reason = "client closed";
    }
    int requeued = server.hub.unsubscribe(s, streamer.undelivered, reason);
    counters.requeued(requeued);
    onEnd.run();
    closeQuietly();
    entry.closed(reason, server.clock.millis());
    server.log(
        "stream "
            + number
            + " closed ("
            + reason
            + "): sent="
            + counters.sent.get()
            + " filtered="
            + counters.filteredOut.get()
            + " notices="
            + counters.noticesSent.get()
            + " requeued="
            + counters.requeued.get());
  }

  /**
   * What v2 streams carried in the last minutes, again, before the live posts (the client drops by
   * id what it already had). The shared cursor never moves while no stream is open, so these are
   * the posts a client may have missed: those it had not read when its connection broke.
   */
  private void backfill(
      ChunkedWriter writer, Dialect dialect, Counters counters, long number, int minutes)
      throws IOException {
    int n = 0;
    for (Item item : server.recentPosts.since(server.clock.millis() - minutes * 60_000L)) {
      byte[] bytes = dialect.again(item);
      if (bytes != null) {
        counters.bytesSent(writer.message(bytes));
        n++;
      }
    }
    writer.flush();
    server.log("stream " + number + ": backfilled " + n + " posts");
  }

  /** The client sends nothing after its request: end of input means it hung up. */
  private void watchForHangUp(InputStream in, Subscriber s) {
    byte[] sink = new byte[256];
    try {
      while (in.read(sink) >= 0) {
        // Ignore anything the client sends.
      }
    } catch (IOException e) {
      // Reset, or our own close.
    }
    peerClosed = true;
    s.close("client closed");
  }

  /** After a cut-off message: reset the connection, or close it after the data sent. */
  private void endSocket(boolean reset) throws IOException {
    if (reset) {
      // SO_LINGER 0: close() sends RST and discards anything not yet transmitted.
      socket.setSoLinger(true, 0);
    } else {
      socket.shutdownOutput();
    }
    socket.close();
  }

  private String remote() {
    return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      // Already gone.
    }
  }
}
