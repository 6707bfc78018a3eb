package io.trendline.streamserver;

import io.trendline.common.Status;
import io.trendline.common.StreamMessage;
import java.nio.charset.StandardCharsets;

/**
 * One message taken from the source: classified once, encoded once, then shared (read-only) by
 * every connection it is offered to. Immutable.
 */
final class Item {
  /** Position in the source, from 1: orders redelivery and removes its duplicates. */
  final long seq;

  final StreamMessage message;

  /** The message and its {@code \r\n}, in UTF-8: what the stream carries after the length. */
  final byte[] bytes;

  private Item(long seq, StreamMessage message, byte[] bytes) {
    this.seq = seq;
    this.message = message;
    this.bytes = bytes;
  }

  static Item of(long seq, String raw) {
    return new Item(seq, StreamMessage.parse(raw), encode(raw));
  }

  static byte[] encode(String message) {
    return (message + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  boolean isStatus() {
    return message.isStatus();
  }

  Status status() {
    return message.status();
  }
}
