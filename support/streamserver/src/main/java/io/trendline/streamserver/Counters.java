package io.trendline.streamserver;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of one stream, or of the whole server. A stream's counters forward every increment
 * to the server's, so totals include closed streams. Thread-safe.
 */
final class Counters {
  final AtomicLong offered = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong filteredOut = new AtomicLong();
  final AtomicLong requeued = new AtomicLong();
  final AtomicLong noticesSent = new AtomicLong();
  final AtomicLong keepAlivesSent = new AtomicLong();
  final AtomicLong faultsFired = new AtomicLong();
  final AtomicLong bytesSent = new AtomicLong();
  private final Counters total;

  Counters(Counters total) {
    this.total = total;
  }

  /** The counters' values at one moment, as the stats report them. Immutable. */
  static final class Snapshot {
    final long offered;
    final long sent;
    final long filteredOut;
    final long requeued;
    final long noticesSent;
    final long keepAlivesSent;
    final long faultsFired;
    final long bytesSent;

    private Snapshot(Counters c) {
      offered = c.offered.get();
      sent = c.sent.get();
      filteredOut = c.filteredOut.get();
      requeued = c.requeued.get();
      noticesSent = c.noticesSent.get();
      keepAlivesSent = c.keepAlivesSent.get();
      faultsFired = c.faultsFired.get();
      bytesSent = c.bytesSent.get();
    }

    /** Writes the values as fields of the JSON object being written, in declaration order. */
    void writeFields(JsonWriter w) throws IOException {
      w.name("offered").value(offered);
      w.name("sent").value(sent);
      w.name("filteredOut").value(filteredOut);
      w.name("requeued").value(requeued);
      w.name("noticesSent").value(noticesSent);
      w.name("keepAlivesSent").value(keepAlivesSent);
      w.name("faultsFired").value(faultsFired);
      w.name("bytesSent").value(bytesSent);
    }
  }

  Snapshot snapshot() {
    return new Snapshot(this);
  }

  void offered(long n) {
    add(offered, n, total == null ? null : total.offered);
  }

  void sent(long n) {
    add(sent, n, total == null ? null : total.sent);
  }

  void filteredOut(long n) {
    add(filteredOut, n, total == null ? null : total.filteredOut);
  }

  void requeued(long n) {
    add(requeued, n, total == null ? null : total.requeued);
  }

  void noticesSent(long n) {
    add(noticesSent, n, total == null ? null : total.noticesSent);
  }

  void keepAlivesSent(long n) {
    add(keepAlivesSent, n, total == null ? null : total.keepAlivesSent);
  }

  void faultsFired(long n) {
    add(faultsFired, n, total == null ? null : total.faultsFired);
  }

  void bytesSent(long n) {
    add(bytesSent, n, total == null ? null : total.bytesSent);
  }

  private static void add(AtomicLong mine, long n, AtomicLong total) {
    if (n != 0) {
      mine.addAndGet(n);
      if (total != null) {
        total.addAndGet(n);
      }
    }
  }
}
