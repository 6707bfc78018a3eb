package io.trendline.producer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Messages from the lines of a capture or of stdin, one JSON message per line; blank lines
 * (keep-alives in a raw capture) are skipped. Reads on the caller's thread, so {@link #poll}
 * returns at once and nothing is buffered.
 */
final class LineSource implements MessageSource {
  private final BufferedReader reader;
  private final String name;
  private volatile boolean stopped;
  private boolean eof;

  LineSource(BufferedReader reader, String name) {
    this.reader = reader;
    this.name = name;
  }

  @Override
  public void start() {}

  @Override
  public String poll(long timeout, TimeUnit unit) {
    if (stopped || eof) {
      return null;
    }
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.trim().isEmpty()) {
          return line;
        }
      }
      eof = true;
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
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
