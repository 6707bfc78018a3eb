package io.trendline.streamserver;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a {@link StreamServer}'s counters: what the source gave, what each stream was
 * offered, sent and filtered out, and what was injected. Totals include closed streams. Immutable;
 * {@link #toJson()} is what {@code GET /stats} answers.
 *
 * <p>Invariants once the server is idle: {@code offered == sent + filteredOut} per stream, and
 * every status taken from the source was either offered to some stream, or is waiting for the next
 * stream ({@link #pendingRedelivery()}).
 */
public final class StreamStats {
  private final long uptimeMs;
  private final long httpRequests;
  private final long streamsOpened;
  private final long streamsActive;
  private final Map<Integer, Long> rejected;
  private final long sourceMessages;
  private final long sourceStatuses;
  private final boolean sourceExhausted;
  private final long redelivered;
  private final long pendingRedelivery;
  private final Counters.Snapshot totals;
  private final List<ConnectionStats> streams;

  StreamStats(
      long uptimeMs,
      long httpRequests,
      long streamsOpened,
      long streamsActive,
      Map<Integer, Long> rejected,
      long sourceMessages,
      long sourceStatuses,
      boolean sourceExhausted,
      long redelivered,
      long pendingRedelivery,
      Counters total,
      List<ConnectionStats> streams) {
    this.uptimeMs = uptimeMs;
    this.httpRequests = httpRequests;
    this.streamsOpened = streamsOpened;
    this.streamsActive = streamsActive;
    this.rejected = Collections.unmodifiableMap(new TreeMap<>(rejected));
    this.sourceMessages = sourceMessages;
    this.sourceStatuses = sourceStatuses;
    this.sourceExhausted = sourceExhausted;
    this.redelivered = redelivered;
    this.pendingRedelivery = pendingRedelivery;
    this.totals = total.snapshot();
    this.streams = Collections.unmodifiableList(streams);
  }

  public long uptimeMs() {
    return uptimeMs;
  }

  /** Every HTTP request read: streams, rejections and {@code /stats}. */
  public long httpRequests() {
    return httpRequests;
  }

  /** Requests answered 200 on the filter endpoint. */
  public long streamsOpened() {
    return streamsOpened;
  }

  public long streamsActive() {
    return streamsActive;
  }

  /** Requests refused, by HTTP status (401, 404, 406, injected 420/429/503...). */
  public Map<Integer, Long> rejected() {
    return rejected;
  }

  /** Total refused requests. */
  public long rejectedTotal() {
    long n = 0;
    for (long v : rejected.values()) {
      n += v;
    }
    return n;
  }

  /** Messages taken from the source (statuses and everything else). */
  public long sourceMessages() {
    return sourceMessages;
  }

  /**
   * Statuses taken from the source. Unthrottled, a message is classified by the first stream that
   * filters it, so this may lag {@link #sourceMessages()} until streams have caught up.
   */
  public long sourceStatuses() {
    return sourceStatuses;
  }

  /** Whether the source has nothing more (a replay that does not loop, at its end). */
  public boolean sourceExhausted() {
    return sourceExhausted;
  }

  /** Messages handed to a new stream because an earlier one did not deliver them. */
  public long redelivered() {
    return redelivered;
  }

  /** Messages taken from the source that wait for the next stream to open. */
  public long pendingRedelivery() {
    return pendingRedelivery;
  }

  /** Statuses checked against some stream's track (counted once per stream). */
  public long offered() {
    return totals.offered;
  }

  /** Statuses written to streams without error. */
  public long sent() {
    return totals.sent;
  }

  public long filteredOut() {
    return totals.filteredOut;
  }

  public long requeued() {
    return totals.requeued;
  }

  public long noticesSent() {
    return totals.noticesSent;
  }

  public long keepAlivesSent() {
    return totals.keepAlivesSent;
  }

  /** Faults fired, including injected HTTP error answers. */
  public long faultsFired() {
    return totals.faultsFired;
  }

  public long bytesSent() {
    return totals.bytesSent;
  }

  /** Every stream so far, oldest first (the oldest closed ones dropped beyond 1,000). */
  public List<ConnectionStats> streams() {
    return streams;
  }

  /** The stream with the given number, or null. */
  public ConnectionStats stream(long number) {
    for (ConnectionStats s : streams) {
      if (s.stream() == number) {
        return s;
      }
    }
    return null;
  }

  /**
   * One JSON object:
   *
   * <pre>
   * {"uptimeMs":..,"httpRequests":..,"streamsOpened":..,"streamsActive":..,
   *  "rejected":{"401":1,"420":2},
   *  "source":{"messages":..,"statuses":..,"exhausted":false,"redelivered":..,"pendingRedelivery":..},
   *  "totals":{"offered":..,"sent":..,"filteredOut":..,"requeued":..,"noticesSent":..,
   *            "keepAlivesSent":..,"faultsFired":..,"bytesSent":..},
   *  "streams":[{"stream":1,"remote":"127.0.0.1:50123","track":"bitcoin,IoT","delimited":true,
   *              "open":false,"endReason":"client closed","openedAtMs":..,"closedAtMs":..,
   *              "offered":..,"sent":..,"filteredOut":..,"requeued":..,"noticesSent":..,
   *              "keepAlivesSent":..,"faultsFired":..,"bytesSent":..}]}
   * </pre>
   */
  public String toJson() {
    return Json.write(
        w -> {
          w.beginObject();
          w.name("uptimeMs").value(uptimeMs);
          w.name("httpRequests").value(httpRequests);
          w.name("streamsOpened").value(streamsOpened);
          w.name("streamsActive").value(streamsActive);
          w.name("rejected").beginObject();
          for (Map.Entry<Integer, Long> e : rejected.entrySet()) {
            w.name(e.getKey().toString()).value(e.getValue());
          }
          w.endObject();
          w.name("source").beginObject();
          w.name("messages").value(sourceMessages);
          w.name("statuses").value(sourceStatuses);
          w.name("exhausted").value(sourceExhausted);
          w.name("redelivered").value(redelivered);
          w.name("pendingRedelivery").value(pendingRedelivery);
          w.endObject();
          w.name("totals").beginObject();
          totals.writeFields(w);
          w.endObject();
          w.name("streams").beginArray();
          for (ConnectionStats s : streams) {
            s.writeJson(w);
          }
          w.endArray();
          w.endObject();
        });
  }

  @Override
  public String toString() {
    return toJson();
  }
}
