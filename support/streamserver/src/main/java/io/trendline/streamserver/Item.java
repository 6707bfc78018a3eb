package io.trendline.streamserver;

import io.trendline.common.Status;
import io.trendline.common.StreamMessage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One message taken from the source: encoded once, classified once (by whichever thread needs it
 * first: the pump when it paces statuses, else the first connection that filters it, so that an
 * unthrottled stream parses on the connection's thread rather than the pump's), then shared by
 * every connection it is offered to. Thread-safe.
 */
final class Item {
  /** Position in the source, from 1: orders redelivery and removes its duplicates. */
  final long seq;

  final String raw;

  /** The message and its {@code \r\n}, in UTF-8: what the stream carries after the length. */
  final byte[] bytes;

  private final AtomicLong statusCount;
  private volatile StreamMessage message;

  /** The v2 form, once a v2 stream asked; {@link #NOT_A_POST} when it has none. */
  private volatile Object v2;

  private static final Object NOT_A_POST = new Object();

  private Item(long seq, String raw, AtomicLong statusCount) {
    this.seq = seq;
    this.raw = raw;
    this.bytes = encode(raw);
    this.statusCount = statusCount;
  }

  /**
   * @param statusCount incremented once if and when the item is classified as a status
   */
  static Item of(long seq, String raw, AtomicLong statusCount) {
    return new Item(seq, raw, statusCount);
  }

  static byte[] encode(String message) {
    return (message + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  StreamMessage message() {
    StreamMessage m = message;
    if (m == null) {
      synchronized (this) {
        m = message;
        if (m == null) {
          m = StreamMessage.parse(raw);
          message = m;
          if (m.isStatus()) {
            statusCount.incrementAndGet();
          }
        }
      }
    }
    return m;
  }

  /** The status in v2's shape (converted once, shared by v2 streams); null for a non-status. */
  V2Post v2() {
    Object p = v2;
    if (p == null) {
      try {
        p = isStatus() ? V2Post.of(raw) : NOT_A_POST;
      } catch (RuntimeException e) {
        // Classified as a status by the lenient-free reader, so this does not happen; if it did,
        // the status is simply not carried by v2 streams.
        p = NOT_A_POST;
      }
      v2 = p;
    }
    return p == NOT_A_POST ? null : (V2Post) p;
  }

  boolean isStatus() {
    return message().isStatus();
  }

  Status status() {
    return message().status();
  }
}
