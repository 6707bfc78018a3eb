package io.trendline.streamserver;

import io.trendline.common.config.Durations;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The write loop of one stream: takes what the hub queued for it, filters statuses (by track, or by
 * the app's rules: see {@link Dialect}), writes them, fires the stream's faults, and writes a
 * keep-alive whenever the stream has been silent for the keep-alive interval. Time is read from a
 * {@link Ticker} and waited with a {@link Sleeper} (waits for the queue go through the {@link
 * Subscriber}'s own), so a test drives it on fake time.
 *
 * <p>Not thread-safe: {@link #run} and everything it touches are confined to the connection's
 * thread; only the subscriber is shared (and thread-safe). The caller owns the socket; this class
 * ends it only through {@link SocketEnd} when a cut or reset fault fires.
 */
final class Streamer {
  /** Flush at least this often while statuses arrive faster than they can be sent one by one. */
  private static final int FLUSH_BYTES = 32 * 1024;

  private static final int BATCH = 256;

  /** How long a reset fault waits after the partial message before resetting the socket. */
  static final long RESET_GRACE_NANOS = 250_000_000L;

  /** Ends the connection's socket after a cut-off message. */
  interface SocketEnd {
    /**
     * @param reset true to reset the connection (discarding what is unsent), false to close it
     */
    void end(boolean reset) throws IOException;
  }

  private final long number;
  private final Subscriber s;
  private final ChunkedWriter writer;
  private final Dialect dialect;
  private final Counters counters;
  private final List<FaultPlan.Fault> faults;
  private final Injected injected;
  private final DeliveryListener delivered;

  /** Injected faults this stream took, with {@code after} on its own count, not yet fired. */
  private final List<FaultPlan.Fault> injectedHere = new ArrayList<>();

  private final long keepAliveNanos;
  private final Clock clock;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final Consumer<String> log;
  private final SocketEnd socketEnd;

  /** Items appended since the last flush: undelivered if the flush fails. */
  private final List<Item> unflushed = new ArrayList<>();

  /** What to hand back to the hub when the stream ends. */
  final List<Item> undelivered = new ArrayList<>();

  private long written;
  private long limitTrack;

  /** A cut or reset fault has fired: the next matching status is cut off. */
  private FaultPlan.Kind cutPending;

  /** When bytes last went out (or the stream opened, or a stall ended), on the ticker. */
  private long lastSend;

  /**
   * @param number the stream's number, from 1, as fault plans count streams
   * @param faults the faults that apply to this stream
   * @param clock the time of {@code timestamp_ms} in injected limit notices
   * @param log where one-line fault events go
   * @param injected faults injected at run time, taken before each status is handled
   * @param delivered told of each status once it is flushed
   */
  Streamer(
      long number,
      Subscriber s,
      ChunkedWriter writer,
      Dialect dialect,
      Counters counters,
      List<FaultPlan.Fault> faults,
      Duration keepAlive,
      Clock clock,
      Ticker ticker,
      Sleeper sleeper,
      Consumer<String> log,
      SocketEnd socketEnd,
      Injected injected,
      DeliveryListener delivered) {
    this.number = number;
    this.s = s;
    this.writer = writer;
    this.dialect = dialect;
    this.counters = counters;
    this.faults = new ArrayList<>(faults);
    this.injected = injected;
    this.delivered = delivered;
    this.keepAliveNanos = keepAlive.toNanos();
    this.clock = clock;
    this.ticker = ticker;
    this.sleeper = sleeper;
    this.log = log;
    this.socketEnd = socketEnd;
    this.lastSend = ticker.nanoTime();
  }

  /** Streams until the end; returns why it ended. Injected faults that did not fire go back. */
  String run() throws InterruptedException {
    try {
      return stream();
    } finally {
      List<FaultPlan.Fault> unfired = new ArrayList<>();
      for (FaultPlan.Fault f : injectedHere) {
        if (f.after() > written) {
          unfired.add(f.withAfter(f.after() - written));
        }
      }
      injected.handBack(unfired);
    }
  }

  private String stream() throws InterruptedException {
    List<Item> batch = new ArrayList<>(BATCH);
    int next = 0;
    try {
      String end = afterStatus();
      if (end != null) {
        return end;
      }
      while (true) {
        long idle = ticker.nanoTime() - lastSend;
        batch.clear();
        next = 0;
        int n = s.drain(batch, BATCH, Math.max(0, keepAliveNanos - idle));
        if (n < 0) {
          flush();
          return s.closeReason();
        }
        if (n == 0) {
          if (ticker.nanoTime() - lastSend >= keepAliveNanos) {
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

  /**
   * Adds the faults injected since the last look (after each status, and as the stream opens),
   * counting their statuses from there.
   */
  private void takeInjected() {
    for (FaultPlan.Fault f : injected.takeStreamFaults()) {
      FaultPlan.Fault here = f.withAfter(written + f.after());
      faults.add(here);
      injectedHere.add(here);
    }
  }

  /** Handles one item; returns why the stream ends, or null. */
  private String process(Item item) throws IOException, InterruptedException {
    if (!item.isStatus()) {
      byte[] notice = dialect.notice(item);
      if (notice != null) {
        counters.bytesSent(writer.message(notice));
        unflushed.add(item);
      }
      return null;
    }
    counters.offered(1);
    byte[] bytes = dialect.status(item);
    if (bytes == null) {
      counters.filteredOut(1);
      return null;
    }
    if (cutPending != null) {
      return cutOff(item, bytes, cutPending == FaultPlan.Kind.RESET);
    }
    counters.bytesSent(writer.message(bytes));
    unflushed.add(item);
    written++;
    return afterStatus();
  }

  private String cutOff(Item item, byte[] bytes, boolean reset) throws IOException {
    undelivered.add(item);
    flush();
    writer.message(bytes, bytes.length / 2);
    counters.faultsFired(1);
    String what = reset ? "reset" : "cut";
    log.accept("stream " + number + ": fault " + what + " after " + written + " statuses");
    writer.flush();
    if (reset) {
      // A reset drops what the client has not read yet. Give a client that reads promptly the
      // time to take everything before the cut (it then waits for the rest of the message),
      // so the fault cuts one message, not an unknown number of them.
      sleepQuietly(RESET_GRACE_NANOS);
    }
    String reason = "fault: " + what + " after " + written;
    // Before the client can see the end, so that its reconnection waits for the hand-back.
    s.close(reason);
    socketEnd.end(reset);
    return reason;
  }

  /** Waits {@code nanos} on the ticker; an interrupt ends the wait early and stays set. */
  private void sleepQuietly(long nanos) {
    long until = ticker.nanoTime() + nanos;
    try {
      for (long left = nanos; left > 0; left = until - ticker.nanoTime()) {
        sleeper.sleepNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fires the faults due after {@link #written} statuses; returns why the stream ends, or null. */
  private String afterStatus() throws IOException, InterruptedException {
    takeInjected();
    for (FaultPlan.Fault f : faults) {
      switch (f.kind()) {
        case LIMIT:
          if (written > 0 && written % f.after() == 0) {
            limitTrack += f.increment();
            String limit = dialect.limit(limitTrack, clock.millis());
            if (limit != null) {
              notice(limit);
              counters.faultsFired(1);
            }
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
            log.accept("stream " + number + ": fault malformed after " + written);
          }
          break;
        case STALL:
          if (written == f.after()) {
            flush();
            counters.faultsFired(1);
            log.accept("stream " + number + ": fault stall for " + Durations.format(f.stall()));
            if (s.awaitClosed(f.stall().toNanos())) {
              return s.closeReason();
            }
            lastSend = ticker.nanoTime();
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
          notice(dialect.disconnect(f.code(), number));
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
        delivered.delivered(number, item.status());
      } else {
        notices++;
      }
    }
    unflushed.clear();
    counters.sent(statuses);
    counters.noticesSent(notices);
    lastSend = ticker.nanoTime();
  }
}
