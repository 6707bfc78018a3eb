package io.trendline.streamserver;

import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import io.trendline.common.config.Durations;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /** Flush at least this often while statuses arrive faster than they can be sent one by one. */
  private static final int FLUSH_BYTES = 32 * 1024;

  private static final int BATCH = 256;
  private static final int HEAD_TIMEOUT_MS = 30_000;

  /** How long a reset fault waits after the partial message before resetting the socket. */
  static final long RESET_GRACE_MS = 250;

  private static final Pattern CONSUMER_KEY =
      Pattern.compile("oauth_consumer_key\\s*=\\s*\"([^\"]*)\"");

  private final StreamServer server;
  private final Socket socket;
  private volatile Subscriber sub;
  private volatile boolean peerClosed;

  Connection(StreamServer server, Socket socket) {
    this.server = server;
    this.socket = socket;
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
            number, s, new ChunkedWriter(out, delimited), new TrackMatcher(keywords), counters);
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

  /** The write loop of one stream; its state is confined to the connection's thread. */
  private final class Streamer {
    private final long number;
    private final Subscriber s;
    private final ChunkedWriter writer;
    private final TrackMatcher matcher;
    private final Counters counters;
    private final List<FaultPlan.Fault> faults;
    private final long keepAliveNanos;

    /** Items appended since the last flush: undelivered if the flush fails. */
    private final List<Item> unflushed = new ArrayList<>();

    /** What to hand back to the hub when the stream ends. */
    final List<Item> undelivered = new ArrayList<>();

    private long written;
    private long limitTrack;

    /** A cut or reset fault has fired: the next matching status is cut off. */
    private FaultPlan.Kind cutPending;

    private long lastSend = System.nanoTime();

    Streamer(
        long number, Subscriber s, ChunkedWriter writer, TrackMatcher matcher, Counters counters) {
      this.number = number;
      this.s = s;
      this.writer = writer;
      this.matcher = matcher;
      this.counters = counters;
      this.faults = server.faults.forStream(number);
      this.keepAliveNanos = server.keepAlive.toNanos();
    }

    /** Streams until the end; returns why it ended. */
    String run() throws InterruptedException {
      List<Item> batch = new ArrayList<>(BATCH);
      int next = 0;
      try {
        String end = afterStatus();
        if (end != null) {
          return end;
        }
        while (true) {
          long idle = System.nanoTime() - lastSend;
          batch.clear();
          next = 0;
          int n = s.drain(batch, BATCH, Math.max(0, keepAliveNanos - idle));
          if (n < 0) {
            flush();
            return s.closeReason();
          }
          if (n == 0) {
            if (System.nanoTime() - lastSend >= keepAliveNanos) {
              writer.keepAlive();
              counters.bytesSent(2);
              counters.keepAlivesSent(1);
              flush();
            }
            continue;
          }
          while (next < batch.size()) {
            end = process(batch.get(next++));
            if (end != null) {
              undelivered.addAll(batch.subList(next, batch.size()));
              return end;
            }
            if (writer.buffered() >= FLUSH_BYTES) {
              flush();
            }
          }
          if (s.isEmpty()) {
            flush();
          }
        }
      } catch (IOException e) {
        // The hub orders what it gets back by source position, so the order here does not matter.
        undelivered.addAll(unflushed);
        undelivered.addAll(batch.subList(next, batch.size()));
        return "write failed: " + e.getMessage();
      }
    }

    /** Handles one item; returns why the stream ends, or null. */
    private String process(Item item) throws IOException, InterruptedException {
      if (!item.isStatus()) {
        counters.bytesSent(writer.message(item.bytes));
        unflushed.add(item);
        return null;
      }
      counters.offered(1);
      if (matcher.match(item.status()).isEmpty()) {
        counters.filteredOut(1);
        return null;
      }
      if (cutPending != null) {
        return cutOff(item, cutPending == FaultPlan.Kind.RESET);
      }
      counters.bytesSent(writer.message(item.bytes));
      unflushed.add(item);
      written++;
      return afterStatus();
    }

    private String cutOff(Item item, boolean reset) throws IOException {
      undelivered.add(item);
      flush();
      writer.message(item.bytes, item.bytes.length / 2);
      counters.faultsFired(1);
      String what = reset ? "reset" : "cut";
      server.log("stream " + number + ": fault " + what + " after " + written + " statuses");
      writer.flush();
      if (reset) {
        // A reset drops what the client has not read yet. Give a client that reads promptly the
        // time to take everything before the cut (it then waits for the rest of the message),
        // so the fault cuts one message, not an unknown number of them.
        sleepQuietly(RESET_GRACE_MS);
      }
      String reason = "fault: " + what + " after " + written;
      // Before the client can see the end, so that its reconnection waits for the hand-back.
      s.close(reason);
      if (reset) {
        // SO_LINGER 0: close() sends RST and discards anything not yet transmitted.
        socket.setSoLinger(true, 0);
      } else {
        socket.shutdownOutput();
      }
      socket.close();
      return reason;
    }

    /**
     * Fires the faults due after {@link #written} statuses; returns why the stream ends, or null.
     */
    private String afterStatus() throws IOException, InterruptedException {
      for (FaultPlan.Fault f : faults) {
        switch (f.kind()) {
          case LIMIT:
            if (written > 0 && written % f.after() == 0) {
              limitTrack += f.increment();
              notice(
                  "{\"limit\":{\"track\":"
                      + limitTrack
                      + ",\"timestamp_ms\":\""
                      + server.clock.millis()
                      + "\"}}");
              counters.faultsFired(1);
            }
            break;
          case MALFORMED:
            if (written == f.after()) {
              String bad =
                  f.textMalformed()
                      ? "<html><body>Service hiccup (trendline fault injection)</body></html>"
                      : "{\"created_at\":\"Mon May 14 21:39:05 +0000 2018\",\"id\":1,\"id_str\":\"1\",\"te";
              counters.bytesSent(writer.message(Item.encode(bad)));
              counters.faultsFired(1);
              server.log("stream " + number + ": fault malformed after " + written);
            }
            break;
          case STALL:
            if (written == f.after()) {
              flush();
              counters.faultsFired(1);
              server.log("stream " + number + ": fault stall for " + Durations.format(f.stall()));
              if (s.awaitClosed(f.stall().toNanos())) {
                return s.closeReason();
              }
              lastSend = System.nanoTime();
            }
            break;
          default:
            break;
        }
      }
      for (FaultPlan.Fault f : faults) {
        if (written != f.after()) {
          continue;
        }
        switch (f.kind()) {
          case DISCONNECT:
            notice(
                "{\"disconnect\":{\"code\":"
                    + f.code()
                    + ",\"stream_name\":\"trendline-statuses"
                    + number
                    + "\",\"reason\":\"injected fault\"}}");
            counters.faultsFired(1);
            flush();
            return finish("fault: disconnect after " + written);
          case CLOSE:
            counters.faultsFired(1);
            flush();
            return finish("fault: close after " + written);
          case CUT:
          case RESET:
            cutPending = f.kind();
            break;
          default:
            break;
        }
      }
      return null;
    }

    /** Ends the chunked body cleanly; the queue is closed first (see {@link Hub#subscribe}). */
    private String finish(String reason) throws IOException {
      s.close(reason);
      writer.finish();
      return reason;
    }

    private void notice(String json) {
      counters.bytesSent(writer.message(Item.encode(json)));
      counters.noticesSent(1);
    }

    private void flush() throws IOException {
      if (writer.buffered() == 0) {
        return;
      }
      writer.flush();
      long statuses = 0;
      long notices = 0;
      for (Item item : unflushed) {
        if (item.isStatus()) {
          statuses++;
        } else {
          notices++;
        }
      }
      unflushed.clear();
      counters.sent(statuses);
      counters.noticesSent(notices);
      lastSend = System.nanoTime();
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
