package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.StreamMessage;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LineSourceTest {
  /** A reader of a line of {@code n} x's, never holding more than a small buffer of it. */
  private static final class HugeLine extends Reader {
    private long left;
    private final Reader after;

    HugeLine(long n, String after) {
      this.left = n;
      this.after = new StringReader("\n" + after);
    }

    @Override
    public int read(char[] buf, int off, int len) throws java.io.IOException {
      if (left == 0) {
        return after.read(buf, off, len);
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(buf, off, off + n, 'x');
      left -= n;
      return n;
    }

    @Override
    public void close() {}
  }

  private static List<String> all(LineSource source) {
    List<String> lines = new ArrayList<>();
    byte[] line;
    while ((line = source.poll(0, TimeUnit.MILLISECONDS)) != null) {
      lines.add(new String(line, java.nio.charset.StandardCharsets.UTF_8));
    }
    assertTrue(source.isFinished());
    return lines;
  }

  @Test
  void linesAreReadWholeBlankOnesSkippedTheLastWithoutANewlineToo() {
    LineSource source = new LineSource(new StringReader("{\"a\":1}\r\n\n  \n{\"b\":2}"), "t", 100);
    assertEquals(java.util.Arrays.asList("{\"a\":1}\r", "{\"b\":2}"), all(source));
    assertNull(source.poll(0, TimeUnit.MILLISECONDS));
  }

  @Test
  void aHugeLineIsCutSeenAsTooLargeAndTheValidStatusAfterItIsStillRead() {
    String status = "{\"id\":1,\"text\":\"bitcoin\"}";
    // 256 MiB of one line: reading it whole would need half a gigabyte of heap.
    LineSource source = new LineSource(new HugeLine(256L << 20, status + "\n"), "huge", 1024);
    List<String> lines = all(source);
    assertEquals(2, lines.size());
    assertEquals(1025, lines.get(0).length(), "cut to the bound plus one");
    assertEquals(StreamMessage.Kind.MALFORMED, StreamMessage.parse(lines.get(0), 1024).kind());
    assertEquals(status, lines.get(1));
    assertEquals(StreamMessage.Kind.STATUS, StreamMessage.parse(lines.get(1), 1024).kind());
  }

  @Test
  void aLineOfExactlyTheBoundIsWhole() {
    String line = new String(new char[64]).replace('\0', 'y');
    assertEquals(
        java.util.Collections.singletonList(line),
        all(new LineSource(new StringReader(line + "\n"), "t", 64)));
  }
}
