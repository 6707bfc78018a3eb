package io.trendline.streamserver;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * What one stream (a connection answered 200) has done, at the moment {@link StreamServer#stats()}
 * was called. Counts are of statuses unless named otherwise. Immutable.
 */
public final class ConnectionStats {
  private final long stream;
  private final String remote;
  private final String track;
  private final boolean delimited;
  private final boolean open;
  private final String endReason;
  private final long openedAtMs;
  private final long closedAtMs;
  private final Counters.Snapshot counts;

  ConnectionStats(
      long stream,
      String remote,
      String track,
      boolean delimited,
      boolean open,
      String endReason,
      long openedAtMs,
      long closedAtMs,
      Counters c) {
    this.stream = stream;
    this.remote = remote;
    this.track = track;
    this.delimited = delimited;
    this.open = open;
    this.endReason = endReason;
    this.openedAtMs = openedAtMs;
    this.closedAtMs = closedAtMs;
    this.counts = c.snapshot();
  }

  /** The stream's number, from 1, in the order streams opened (as fault plans count them). */
  public long stream() {
    return stream;
  }

  /** The client's address and port. */
  public String remote() {
    return remote;
  }

  /** The track parameter as the client sent it; "v2" for a v2 filtered stream. */
  public String track() {
    return track;
  }

  /** Whether the client asked for {@code delimited=length}. */
  public boolean delimited() {
    return delimited;
  }

  public boolean open() {
    return open;
  }

  /** Why the stream ended (client closed, fault, write failed, server stopped); null if open. */
  public String endReason() {
    return endReason;
  }

  /** Epoch milliseconds (the server's clock). */
  public long openedAtMs() {
    return openedAtMs;
  }

  /** Epoch milliseconds (the server's clock); 0 while open. */
  public long closedAtMs() {
    return closedAtMs;
  }

  /** Statuses taken from the shared cursor and checked against this stream's track. */
  public long offered() {
    return counts.offered;
  }

  /** Statuses that matched and were written to the socket without error. */
  public long sent() {
    return counts.sent;
  }

  /** Statuses that matched none of the stream's track terms (dropped, as the service did). */
  public long filteredOut() {
    return counts.filteredOut;
  }

  /**
   * Statuses this stream took from the cursor but did not deliver (queued, unflushed or cut off
   * when it ended), handed back for the next stream.
   */
  public long requeued() {
    return counts.requeued;
  }

  /** Non-status messages written: passed-through notices and injected limit/disconnect notices. */
  public long noticesSent() {
    return counts.noticesSent;
  }

  public long keepAlivesSent() {
    return counts.keepAlivesSent;
  }

  public long faultsFired() {
    return counts.faultsFired;
  }

  /** Payload bytes written (length prefixes and messages; not the chunk framing). */
  public long bytesSent() {
    return counts.bytesSent;
  }

  /** Writes this stream as one JSON object (see {@link StreamStats#toJson()}). */
  void writeJson(JsonWriter w) throws IOException {
    w.beginObject();
    w.name("stream").value(stream);
    w.name("remote").value(remote);
    w.name("track").value(track);
    w.name("delimited").value(delimited);
    w.name("open").value(open);
    w.name("endReason").value(endReason);
    w.name("openedAtMs").value(openedAtMs);
    w.name("closedAtMs").value(closedAtMs);
    counts.writeFields(w);
    w.endObject();
  }

  @Override
  public String toString() {
    return Json.write(this::writeJson);
  }
}
