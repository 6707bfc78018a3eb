package io.trendline.producer;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Messages from the lines of a capture or of stdin, one JSON message per line ({@code \n} ends a
 * line); blank lines (keep-alives in a raw capture) are skipped. Reads on the caller's thread, so
 * {@link #poll} returns at once and nothing is buffered beyond one line.
 *
 * <p>A line is read to at most {@code maxChars} characters: a longer one is returned as its first
 * {@code maxChars + 1} characters (too long for any message bound of {@code maxChars} bytes or
 * less, so the pipeline counts it as malformed) and the rest of it is skipped unread into memory,
 * so a huge line costs no more memory than a bounded one and the lines after it are read as usual.
 */
final class LineSource implements MessageSource {
  private final Reader reader;
  private final String name;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private volatile boolean stopped;
  private boolean eof;

  LineSource(Reader reader, String name, int maxChars) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1: " + maxChars);
    }
    this.reader = reader;
    this.name = name;
    this.maxChars = maxChars;
  }

  @Override
  public void start() {}

  @Override
  public byte[] poll(long timeout, TimeUnit unit) {
    if (stopped || eof) {
      return null;
    }
    try {
      String line;
      while ((line = readLine()) != null) {
        if (!line.trim().isEmpty()) {
          return line.getBytes(StandardCharsets.UTF_8);
        }
      }
      eof = true;
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** The next line without its {@code \n}, cut to {@code maxChars + 1} characters; null at end. */
  private String readLine() throws IOException {
    StringBuilder line = null;
    while (true) {
      if (position == limit) {
        limit = reader.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return line == null ? null : line.toString();
        }
      }
      if (line == null) {
        line = new StringBuilder();
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int room = maxChars + 1 - line.length();
      if (room > 0) {
        line.append(buffer, start, Math.min(room, position - start));
      }
      if (position < limit) {
        position++; // the newline
        return line.toString();
      }
    }
  }

  @Override
  public boolean isFinished() {
    return stopped || eof;
  }

  @Override
  public void stop() {
    stopped = true;
  }

  @Override
  public long dropped() {
    return 0;
  }

  @Override
  public int queueDepth() {
    return 0;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // closing a reader we only read from: nothing is lost
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
