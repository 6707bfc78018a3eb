package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

class ByteMessageProcessorTest {
  private static final String ONE = "{\"id\":1,\"text\":\"caf\u00e9 \ud83d\ude00\"}\r\n";
  private static final String TWO = "{\"id\":2,\"text\":\"two\"}\r\n";

  /** A stream that gives at most {@code step} bytes a read, as a socket may. */
  private static InputStream trickle(String s, int step) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static String delimited(String... messages) {
    StringBuilder out = new StringBuilder();
    for (String m : messages) {
      out.append(m.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(m);
    }
    return out.toString();
  }

  /** Processes until the stream ends; the messages taken, as text. */
  private static List<String> read(
      ByteMessageProcessor.Framing framing, String stream, int step, List<IOException> end)
      throws Exception {
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(100);
    ByteMessageProcessor p = new ByteMessageProcessor(queue, framing);
    p.setup(trickle(stream, step));
    try {
      while (true) {
        assertTrue(p.process());
      }
    } catch (IOException e) {
      end.add(e);
    }
    List<String> out = new ArrayList<>();
    for (byte[] m : queue) {
      out.add(new String(m, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void lengthDelimitedMessagesAreTheirBytesWithKeepAlivesSkippedWhateverTheReads()
      throws Exception {
    String stream = "\r\n" + delimited(ONE) + "\r\n\r\n" + delimited(TWO);
    for (int step : new int[] {1, 3, 7, 64, 100_000}) {
      List<IOException> end = new ArrayList<>();
      assertEquals(
          java.util.Arrays.asList(ONE, TWO),
          read(ByteMessageProcessor.Framing.LENGTH, stream, step, end),
          "reads of " + step);
      assertEquals("the stream ended", end.get(0).getMessage());
    }
  }

  @Test
  void upToTwoUnreadableLengthsAreSkippedAThirdEndsTheConnection() throws Exception {
    List<IOException> end = new ArrayList<>();
    assertEquals(
        java.util.Arrays.asList(TWO),
        read(ByteMessageProcessor.Framing.LENGTH, "x\r\n-5\r\n" + delimited(TWO), 5, end));
    end.clear();
    assertEquals(
        java.util.Collections.emptyList(),
        read(ByteMessageProcessor.Framing.LENGTH, "a\r\nb\r\nc\r\n" + delimited(TWO), 5, end));
    assertTrue(end.get(0).getMessage().contains("unable to read a message length"));
  }

  @Test
  void aLengthShortOfTheLineEndKeepsTheStreamInStep() throws Exception {
    for (int step : new int[] {1, 4, 100_000}) {
      List<IOException> end = new ArrayList<>();
      assertEquals(
          java.util.Arrays.asList(ONE, TWO),
          read(
              ByteMessageProcessor.Framing.LENGTH,
              "10\r\n" + ONE + "0\r\n" + delimited(TWO),
              step,
              end),
          "the message runs to its line's end; a zero length is nothing; reads of " + step);
      assertEquals("the stream ended", end.get(0).getMessage());
    }
  }

  @Test
  void anUnreasonableLengthOrALineWithoutEndEndsTheConnection() throws Exception {
    List<IOException> end = new ArrayList<>();
    read(ByteMessageProcessor.Framing.LENGTH, "500001\r\n{}", 100, end);
    assertTrue(end.get(0).getMessage().contains("unreasonable message size 500001"), "" + end);
    end.clear();
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      digits.append('1');
    }
    read(ByteMessageProcessor.Framing.LENGTH, digits.toString(), 100, end);
    assertTrue(end.get(0).getMessage().contains("longer than 64 bytes"), "" + end);
    end.clear();
    assertEquals(
        java.util.Collections.emptyList(),
        read(ByteMessageProcessor.Framing.LENGTH, "40\r\n{\"cut\":", 100, end));
    assertEquals("the stream ended inside a message", end.get(0).getMessage());
  }

  @Test
  void linesAreMessagesWithoutTheirEndingsAndBlankLinesAreKeepAlives() throws Exception {
    String stream = "\n" + ONE + "\r\n\n" + TWO.trim() + "\n" + "{\"last\":1}";
    for (int step : new int[] {1, 2, 5, 100_000}) {
      List<IOException> end = new ArrayList<>();
      assertEquals(
          java.util.Arrays.asList(ONE.trim(), TWO.trim()),
          read(ByteMessageProcessor.Framing.LINE, stream, step, end),
          "a line without its end is not a message; reads of " + step);
      assertEquals("the stream ended", end.get(0).getMessage());
    }
  }

  @Test
  void aLineLongerThanTheBufferIsReadWhole() throws Exception {
    StringBuilder big = new StringBuilder("{\"text\":\"");
    while (big.length() < 150_000) {
      big.append("bitcoin ");
    }
    big.append("\"}");
    List<IOException> end = new ArrayList<>();
    assertEquals(
        java.util.Arrays.asList(TWO.trim(), big.toString(), TWO.trim()),
        read(ByteMessageProcessor.Framing.LINE, TWO + big + "\n" + TWO, 8192, end));
  }

  @Test
  void aMessageTheQueueDoesNotTakeIsDroppedNotBlocking() throws Exception {
    BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(1);
    ByteMessageProcessor p = new ByteMessageProcessor(queue, ByteMessageProcessor.Framing.LINE, 0);
    p.setup(trickle("a\nb\n", 100));
    assertTrue(p.process());
    assertFalse(p.process(), "the queue is full: dropped");
    assertEquals("a", new String(queue.take(), StandardCharsets.UTF_8));
    assertThrows(IOException.class, p::process);
  }
}
