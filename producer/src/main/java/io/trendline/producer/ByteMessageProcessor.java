package io.trendline.producer;

import com.twitter.hbc.core.processor.HosebirdMessageProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosebird's reader of the stream for Trendline: each message as the UTF-8 bytes the stream sent,
 * not decoded. Hosebird's own processors decode every message into a {@code String}, which the
 * producer then had to encode back into the same bytes for Kafka (in a profile, encoding the values
 * was 40 % of the pipeline thread's time, decoding a quarter of Hosebird's); with the bytes the
 * producer decodes once, to parse, and sends what it received.
 *
 * <p>Framing as Hosebird's processors read it: {@link Framing#LENGTH} ({@code delimited=length},
 * v1.1: a line holding the message's length in bytes, then the message with its {@code \r\n}; a
 * blank line is a keep-alive; up to three unreadable length lines are skipped; a message whose
 * length falls short of its line end runs to that end) and {@link Framing#LINE} (v2: one message a
 * line, {@code \n} or {@code \r\n}, blank lines are keep-alives). A message longer than {@link
 * #MAX_MESSAGE_BYTES}, a line too long or lengths that cannot be read end the connection with an
 * {@link IOException}, and Hosebird reconnects; so does the end of the stream. A message not taken
 * by the queue within the offer timeout is dropped and counted by Hosebird, as with its own
 * processors.
 */
final class ByteMessageProcessor implements HosebirdMessageProcessor {
  private static final Logger log = LoggerFactory.getLogger(ByteMessageProcessor.class);

  /** How the stream separates its messages. */
  enum Framing {
    LENGTH,
    LINE
  }

  /** Largest message taken, as Hosebird's {@code StringDelimitedProcessor} takes. */
  static final int MAX_MESSAGE_BYTES = 500_000;

  /** How long a queue offer waits, as Hosebird's processors wait. */
  static final long OFFER_TIMEOUT_MS = 500;

  private static final int LENGTH_LINE_TRIES = 3;
  private static final int MAX_LENGTH_LINE = 64;

  private final BlockingQueue<byte[]> queue;
  private final Framing framing;
  private final long offerTimeoutMs;
  private InputStream in;
  private byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;

  ByteMessageProcessor(BlockingQueue<byte[]> queue, Framing framing) {
    this(queue, framing, OFFER_TIMEOUT_MS);
  }

  ByteMessageProcessor(BlockingQueue<byte[]> queue, Framing framing, long offerTimeoutMs) {
    this.queue = queue;
    this.framing = framing;
    this.offerTimeoutMs = offerTimeoutMs;
  }

  /** Called by Hosebird with each new connection's body. */
  @Override
  public void setup(InputStream input) {
    in = input;
    position = 0;
    limit = 0;
  }

  /** Reads one message (keep-alives aside) and offers it to the queue: false when dropped. */
  @Override
  public boolean process() throws IOException, InterruptedException {
    byte[] message;
    do {
      message = framing == Framing.LENGTH ? nextDelimited() : nextLine(MAX_MESSAGE_BYTES);
    } while (message == null);
    return queue.offer(message, offerTimeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The next message of a length-delimited stream; null for a keep-alive. */
  private byte[] nextDelimited() throws IOException {
    int length = -1;
    for (int tries = 0; length < 0 && tries < LENGTH_LINE_TRIES; tries++) {
      byte[] line = nextLine(MAX_LENGTH_LINE);
      if (line == null) {
        return null;
      }
      String text = new String(line, StandardCharsets.US_ASCII).trim();
      try {
        length = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        length = -1;
      }
      if (length < 0) {
        log.warn("skipped a message length that is not a length: '{}'", text);
      }
    }
    if (length < 0) {
      throw new IOException("unable to read a message length from the stream");
    }
    if (length > MAX_MESSAGE_BYTES) {
      throw new IOException(
          "unreasonable message size " + length + " (over " + MAX_MESSAGE_BYTES + " bytes)");
    }
    if (length == 0) {
      return null;
    }
    byte[] message = read(length);
    if (message[length - 1] == '\n') {
      return message;
    }
    // A length that does not end the message's line: the rest of the line belongs to it (as
    // Hosebird reads it), so the stream stays in step instead of reading the rest as a length.
    byte[] rest = restOfLine(MAX_MESSAGE_BYTES - length);
    byte[] whole = Arrays.copyOf(message, length + rest.length);
    System.arraycopy(rest, 0, whole, length, rest.length);
    return whole;
  }

  /**
   * The next line without its {@code \n} or {@code \r\n}; null for an empty line.
   *
   * @throws IOException at the end of the stream or past {@code max} bytes without a line end
   */
  private byte[] nextLine(int max) throws IOException {
    int newline = lineEnd(max);
    int end = newline > position && buffer[newline - 1] == '\r' ? newline - 1 : newline;
    byte[] line = end == position ? null : Arrays.copyOfRange(buffer, position, end);
    position = newline + 1;
    return line;
  }

  /** What is left of the current line, its {@code \n} included. */
  private byte[] restOfLine(int max) throws IOException {
    int newline = lineEnd(max);
    byte[] rest = Arrays.copyOfRange(buffer, position, newline + 1);
    position = newline + 1;
    return rest;
  }

  /**
   * The index in the buffer of the {@code \n} that ends the line at {@link #position}, reading more
   * of the stream until it is there.
   *
   * @throws IOException at the end of the stream or past {@code max} bytes without a line end
   */
  private int lineEnd(int max) throws IOException {
    int scanned = position;
    while (true) {
      for (int i = scanned; i < limit; i++) {
        if (buffer[i] == '\n') {
          return i;
        }
      }
      if (limit - position > max) {
        throw new IOException("a line of the stream is longer than " + max + " bytes");
      }
      scanned = limit - position;
      fill();
      scanned += position;
    }
  }

  /** The next {@code length} bytes. */
  private byte[] read(int length) throws IOException {
    byte[] out = new byte[length];
    int have = Math.min(length, limit - position);
    System.arraycopy(buffer, position, out, 0, have);
    position += have;
    while (have < length) {
      int n = in.read(out, have, length - have);
      if (n < 0) {
        throw new IOException("the stream ended inside a message");
      }
      have += n;
    }
    return out;
  }

  /** Moves what is unread to the front, then reads more (as much as the stream has). */
  private void fill() throws IOException {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (limit == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      throw new IOException("the stream ended");
    }
    limit += n;
  }
}
