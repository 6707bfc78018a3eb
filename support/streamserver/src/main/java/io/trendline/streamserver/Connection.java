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
    if (!req.path.equals(FILTER_PATH)) {
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
    stream(in, out, keywords, track, delimited != null);
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
            + "\r\nConnection: close\r\n\r\n";
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
      InputStream in, OutputStream out, KeywordList keywords, String track, boolean delimited)
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
    StreamServer.StreamEntry entry = server.register(number, remote(), track, delimited, counters);
    server.log(
        "stream "
            + number
            + " open "
            + remote()
            + " track="
            + track
            + (delimited ? " delimited=length" : ""));
    server.execute(() -> watchForHangUp(in, s));
    Streamer streamer =
        new Streamer(
            number,
            s,
            new ChunkedWriter(out, delimited),
            new TrackMatcher(keywords),
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
      reason = streamer.run();
    } catch (InterruptedException e) {
      reason = "server stopped";
    }
    if (peerClosed && reason.startsWith("write failed")) {
      reason = "client closed";
    }
    int requeued = server.hub.unsubscribe(s, streamer.undelivered, reason);
    counters.requeued(requeued);
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
