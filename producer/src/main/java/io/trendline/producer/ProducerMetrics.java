package io.trendline.producer;

import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The producer's counters. Updated by the pipeline thread and by Kafka's I/O thread (acks), read by
 * the reporter: every counter is atomic, and a {@link Snapshot} is a consistent-enough copy for a
 * progress line (each figure exact, taken a few nanoseconds apart).
 */
final class ProducerMetrics {
  final KeywordList keywords;
  final AtomicLong messages = new AtomicLong();
  final AtomicLong statuses = new AtomicLong();
  final AtomicLong unmatched = new AtomicLong();
  final AtomicLongArray matched;
  final AtomicLongArray byKind = new AtomicLongArray(StreamMessage.Kind.values().length);
  final AtomicLong sent = new AtomicLong();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  /** v2: posts whose rules and the track matcher disagreed on the keywords. */
  final AtomicLong ruleMismatches = new AtomicLong();

  /** v2: posts read again (a backfill after a reconnection), dropped by id. */
  final AtomicLong duplicates = new AtomicLong();

  /** The latest undelivered count a limit notice reported (cumulative per connection). */
  final AtomicLong limitUndelivered = new AtomicLong();

  ProducerMetrics(KeywordList keywords) {
    this.keywords = keywords;
    this.matched = new AtomicLongArray(keywords.size());
  }

  Snapshot snapshot(long nanoTime, long dropped, int queueDepth) {
    long[] perKeyword = new long[matched.length()];
    for (int i = 0; i < perKeyword.length; i++) {
      perKeyword[i] = matched.get(i);
    }
    long[] kinds = new long[byKind.length()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = byKind.get(i);
    }
    return new Snapshot(
        nanoTime,
        messages.get(),
        statuses.get(),
        unmatched.get(),
        perKeyword,
        kinds,
        sent.get(),
        acked.get(),
        failed.get(),
        dropped,
        queueDepth,
        limitUndelivered.get(),
        ruleMismatches.get(),
        duplicates.get());
  }

  /** An immutable copy of the counters at one moment. */
  static final class Snapshot {
    final long nanoTime;
    final long messages;
    final long statuses;
    final long unmatched;
    final long[] matched;
    final long[] byKind;
    final long sent;
    final long acked;
    final long failed;
    final long dropped;
    final int queueDepth;
    final long limitUndelivered;
    final long ruleMismatches;
    final long duplicates;

    Snapshot(
        long nanoTime,
        long messages,
        long statuses,
        long unmatched,
        long[] matched,
        long[] byKind,
        long sent,
        long acked,
        long failed,
        long dropped,
        int queueDepth,
        long limitUndelivered,
        long ruleMismatches,
        long duplicates) {
      this.nanoTime = nanoTime;
      this.messages = messages;
      this.statuses = statuses;
      this.unmatched = unmatched;
      this.matched = matched;
      this.byKind = byKind;
      this.sent = sent;
      this.acked = acked;
      this.failed = failed;
      this.dropped = dropped;
      this.queueDepth = queueDepth;
      this.limitUndelivered = limitUndelivered;
      this.ruleMismatches = ruleMismatches;
      this.duplicates = duplicates;
    }

    long kind(StreamMessage.Kind kind) {
      return byKind[kind.ordinal()];
    }

    /** Messages skipped as malformed (or too large) or of an unknown kind. */
    long malformed() {
      return kind(StreamMessage.Kind.MALFORMED) + kind(StreamMessage.Kind.UNKNOWN);
    }

    /** Notices: every message that is neither a status nor malformed/unknown. */
    long notices() {
      return messages - kind(StreamMessage.Kind.STATUS) - malformed();
    }
  }
}
