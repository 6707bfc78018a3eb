package io.trendline.streamserver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Frames a stream as HTTP/1.1 chunked transfer coding: what is appended between two {@link
 * #flush()}es goes out as one chunk, in one socket write. Messages are framed as the streaming API
 * did: with {@code delimited=length}, a line holding the byte length of the message (UTF-8,
 * including its {@code \r\n}), then the message. Not thread-safe: one writer per connection.
 */
final class ChunkedWriter {
  /** Room for the chunk-size line ahead of the data: up to 8 hex digits and CRLF. */
  private static final int HEAD = 10;

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final boolean delimited;
  private byte[] buf = new byte[64 * 1024];
  private int pos = HEAD;

  ChunkedWriter(OutputStream out, boolean delimited) {
    this.out = out;
    this.delimited = delimited;
  }

  /**
   * Appends one message (its bytes already ending in {@code \r\n}), with its length line when
   * delimited.
   *
   * @return the payload bytes appended
   */
  int message(byte[] messageWithCrlf) {
    return message(messageWithCrlf, messageWithCrlf.length);
  }

  /**
   * Appends the first {@code length} bytes of a message, with the length line of the whole message
   * when delimited: what a connection cut off mid-message carries.
   */
  int message(byte[] messageWithCrlf, int length) {
    int before = pos;
    if (delimited) {
      append(lengthLine(messageWithCrlf.length));
    }
    append(messageWithCrlf, 0, length);
    return pos - before;
  }

  static byte[] lengthLine(int length) {
    return (length + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends a keep-alive: a blank line. */
  int keepAlive() {
    append(CRLF);
    return CRLF.length;
  }

  /** Bytes appended since the last flush. */
  int buffered() {
    return pos - HEAD;
  }

  /** Sends what was appended as one chunk (nothing if nothing was). */
  void flush() throws IOException {
    int size = pos - HEAD;
    if (size == 0) {
      return;
    }
    byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    int start = HEAD - head.length;
    System.arraycopy(head, 0, buf, start, head.length);
    append(CRLF);
    pos = HEAD;
    out.write(buf, start, head.length + size + CRLF.length);
    out.flush();
  }

  /** Flushes, then ends the chunked body: the client sees a clean end of stream. */
  void finish() throws IOException {
    flush();
    out.write(LAST_CHUNK);
    out.flush();
  }

  private void append(byte[] b) {
    append(b, 0, b.length);
  }

  private void append(byte[] b, int off, int len) {
    if (pos + len + CRLF.length > buf.length) {
      byte[] bigger = new byte[Math.max(buf.length * 2, pos + len + CRLF.length)];
      System.arraycopy(buf, 0, bigger, 0, pos);
      buf = bigger;
    }
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }
}
