package io.trendline.streamserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replays a capture of a stream: a UTF-8 file of one message per line, as the real service sent
 * them. Blank lines are skipped; every other line is returned as it is (without its line ending),
 * so a line that is not JSON reaches the client as a malformed message. Optionally starts over at
 * the end of the file, forever.
 *
 * <p>Not thread-safe (the server calls it from one thread). {@link #close()} closes the file.
 */
public final class ReplaySource implements MessageSource {
  private final Path file;
  private final boolean loop;
  private BufferedReader reader;
  private boolean sawMessageThisPass;
  private long passes;

  private ReplaySource(Path file, boolean loop) throws IOException {
    this.file = file;
    this.loop = loop;
    this.reader = open(file);
  }

  /**
   * Opens {@code file} for replay.
   *
   * @param loop whether to start over at the end of the file (a file of only blank lines still ends
   *     the replay)
   * @throws IOException naming the file when it cannot be opened
   */
  public static ReplaySource open(Path file, boolean loop) throws IOException {
    return new ReplaySource(file, loop);
  }

  private static BufferedReader open(Path file) throws IOException {
    try {
      return Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot open capture " + file + ": " + e, e);
    }
  }

  @Override
  public String next() throws IOException {
    while (reader != null) {
      String line = reader.readLine();
      if (line == null) {
        reader.close();
        reader = null;
        passes++;
        if (loop && sawMessageThisPass) {
          sawMessageThisPass = false;
          reader = open(file);
        }
        continue;
      }
      if (!line.trim().isEmpty()) {
        sawMessageThisPass = true;
        return line;
      }
    }
    return null;
  }

  /** How many times the whole file has been read so far. */
  public long passes() {
    return passes;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public String toString() {
    return "replay of " + file + (loop ? " (looping)" : "");
  }
}
