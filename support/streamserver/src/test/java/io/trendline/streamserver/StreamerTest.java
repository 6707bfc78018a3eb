package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The stream's timing on fake time: the ticker moves only when the stream waits, by exactly what it
 * waits for, or up to the next scripted event (a status arriving, the client leaving), which ends
 * the wait as a put or close would. Every chunk written is recorded with the time it was written.
 */
class StreamerTest {
  private static final long T0 = 5_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final String KA = "\r\n";

  private long now = T0;
  private final TreeMap<Long, Runnable> script = new TreeMap<>();
  private final List<Long> sleeps = new ArrayList<>();
  private final Subscriber sub = new Subscriber(1024, () -> now, this::sleep);
  private final List<Chunk> chunks = new ArrayList<>();
  private final Counters counters = new Counters(null);
  private final AtomicLong statuses = new AtomicLong();
  private final Injected injected = new Injected();
  private final List<String> delivered = new ArrayList<>();
  private long seq;
  private String socketEnded;
  private long socketEndedAt;

  /** One chunk of the HTTP body: its payload and when it was written, relative to the start. */
  private static final class Chunk {
    final long at;
    final String payload;

    Chunk(long at, String payload) {
      this.at = at;
      this.payload = payload;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk && ((Chunk) o).at == at && ((Chunk) o).payload.equals(payload);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(at) * 31 + payload.hashCode();
    }

    @Override
    public String toString() {
      return "at " + at + "ns: " + payload.replace("\r\n", "\\r\\n");
    }
  }

  private static Chunk chunk(long at, String payload) {
    return new Chunk(at, payload);
  }

  /** The fake sleeper: passes the time asked for, or less if a scripted event comes first. */
  private void sleep(long nanos) {
    sleeps.add(nanos);
    Map.Entry<Long, Runnable> next = script.firstEntry();
    if (next != null && next.getKey() <= now + nanos) {
      now = Math.max(now, next.getKey());
      script.remove(next.getKey());
      next.getValue().run();
    } else {
      now += nanos;
    }
    if (now - T0 > 3600 * SECOND) {
      throw new AssertionError("the stream did not end: " + chunks);
    }
  }

  private void at(long offset, Runnable event) {
    script.put(T0 + offset, event);
  }

  private Item status(String text) {
    return Item.of(++seq, Fixtures.status(seq, text), statuses);
  }

  private static String line(Item item) {
    return item.raw + "\r\n";
  }

  /** Records each chunk written (ChunkedWriter writes one chunk a call) with the ticker's time. */
  private final OutputStream out =
      new OutputStream() {
        @Override
        public void write(int b) {
          throw new UnsupportedOperationException("one chunk a write");
        }

        @Override
        public void write(byte[] b, int off, int len) {
          String s = new String(b, off, len, StandardCharsets.UTF_8);
          int head = s.indexOf("\r\n");
          String payload = s.substring(head + 2, s.length() - 2);
          chunks.add(chunk(now - T0, payload));
        }
      };

  private Streamer streamer(String faults, Duration keepAlive) {
    return new Streamer(
        1,
        sub,
        new ChunkedWriter(out, false),
        Dialect.v1(new TrackMatcher(KeywordList.parse("bitcoin"))),
        counters,
        FaultPlan.parse(faults).forStream(1),
        keepAlive,
        Clock.fixed(Instant.parse("2018-03-25T15:00:00Z"), ZoneOffset.UTC),
        () -> now,
        this::sleep,
        line -> {},
        reset -> {
          socketEnded = reset ? "reset" : "closed";
          socketEndedAt = now - T0;
        },
        injected,
        (stream, status) -> delivered.add(status.id()));
  }

  @Test
  void aSilentStreamGetsAKeepAliveEveryInterval() throws InterruptedException {
    at(100 * SECOND, () -> sub.close("client closed"));
    String end = streamer("", Duration.ofSeconds(30)).run();
    assertEquals("client closed", end);
    assertEquals(
        Arrays.asList(chunk(30 * SECOND, KA), chunk(60 * SECOND, KA), chunk(90 * SECOND, KA)),
        chunks);
    assertEquals(3, counters.keepAlivesSent.get());
    assertEquals(6, counters.bytesSent.get());
    // Each wait is for exactly the time until the next keep-alive is due.
    assertEquals(Arrays.asList(30 * SECOND, 30 * SECOND, 30 * SECOND, 30 * SECOND), sleeps);
  }

  @Test
  void aStatusSentRestartsTheKeepAliveInterval() throws InterruptedException {
    Item a = status("bitcoin up");
    Item b = status("bitcoin down");
    at(10 * SECOND, () -> sub.preload(Collections.singletonList(a)));
    at(55 * SECOND, () -> sub.preload(Collections.singletonList(b)));
    at(90 * SECOND, () -> sub.close("client closed"));
    streamer("", Duration.ofSeconds(30)).run();
    assertEquals(
        Arrays.asList(
            chunk(10 * SECOND, line(a)),
            chunk(40 * SECOND, KA),
            chunk(55 * SECOND, line(b)),
            chunk(85 * SECOND, KA)),
        chunks);
    assertEquals(2, counters.sent.get());
    assertEquals(2, counters.keepAlivesSent.get());
  }

  @Test
  void aFilteredOutStatusDoesNotCountAsSending() throws InterruptedException {
    at(10 * SECOND, () -> sub.preload(Collections.singletonList(status("nothing to see"))));
    at(45 * SECOND, () -> sub.close("client closed"));
    streamer("", Duration.ofSeconds(30)).run();
    assertEquals(Collections.singletonList(chunk(30 * SECOND, KA)), chunks);
    assertEquals(1, counters.filteredOut.get());
  }

  @Test
  void aStallIsSilentForExactlyItsDurationThenCarriesOn() throws InterruptedException {
    List<Item> items = Arrays.asList(status("bitcoin 1"), status("bitcoin 2"), status("bitcoin 3"));
    sub.preload(items);
    at(17 * SECOND, () -> sub.close("client closed"));
    // Keep-alives every 3 s would be due at 3, 6 and 9 s: the stall sends none of them.
    streamer("stall:2:10s", Duration.ofSeconds(3)).run();
    assertEquals(
        Arrays.asList(
            chunk(0, line(items.get(0)) + line(items.get(1))),
            chunk(10 * SECOND, line(items.get(2))),
            chunk(13 * SECOND, KA),
            chunk(16 * SECOND, KA)),
        chunks);
    assertEquals(10 * SECOND, (long) sleeps.get(0), "the stall waits once, for all of it");
    assertEquals(1, counters.faultsFired.get());
    assertEquals(3, counters.sent.get());
  }

  @Test
  void aStallEndsWithTheStream() throws InterruptedException {
    List<Item> items = Arrays.asList(status("bitcoin 1"), status("bitcoin 2"));
    sub.preload(items);
    at(4 * SECOND, () -> sub.close("client closed"));
    String end = streamer("stall:1:10s", Duration.ofSeconds(3)).run();
    assertEquals("client closed", end);
    assertEquals(Collections.singletonList(chunk(0, line(items.get(0)))), chunks);
    assertEquals(4 * SECOND, now - T0);
  }

  @Test
  void aResetWaitsItsGraceAfterThePartialStatus() throws InterruptedException {
    Item first = status("bitcoin 1");
    Item cut = status("bitcoin 2");
    sub.preload(Arrays.asList(first, cut));
    Streamer streamer = streamer("reset:1", Duration.ofSeconds(30));
    String end = streamer.run();
    assertEquals("fault: reset after 1", end);
    String half = new String(cut.bytes, 0, cut.bytes.length / 2, StandardCharsets.UTF_8);
    assertEquals(Arrays.asList(chunk(0, line(first)), chunk(0, half)), chunks);
    assertEquals("reset", socketEnded);
    assertEquals(Streamer.RESET_GRACE_NANOS, socketEndedAt);
    assertEquals(Collections.singletonList(cut), streamer.undelivered);
    assertEquals(end, sub.closeReason());
  }

  @Test
  void theListenerHearsOfEveryStatusFlushedAndNotOfTheCutOne() throws InterruptedException {
    Item a = status("bitcoin 1");
    Item b = status("nothing here");
    Item c = status("bitcoin 3");
    Item d = status("bitcoin 4");
    sub.preload(Arrays.asList(a, b, c, d));
    streamer("cut:2", Duration.ofSeconds(30)).run();
    assertEquals(Arrays.asList(a.status().id(), c.status().id()), delivered);
  }

  @Test
  void anInjectedFaultCountsFromWhenTheStreamTookIt() throws InterruptedException {
    List<Item> items = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      items.add(status("bitcoin " + i));
    }
    sub.preload(items.subList(0, 2));
    // Injected once two statuses are out: the stream takes it after its next (third) status, and
    // "cut after 1 more" then cuts the fifth.
    at(
        SECOND,
        () -> {
          injected.add(FaultPlan.parse("cut:1").faults().get(0));
          sub.preload(items.subList(2, 5));
        });
    Streamer streamer = streamer("", Duration.ofSeconds(30));
    assertEquals("fault: cut after 4", streamer.run());
    assertEquals(Collections.singletonList(items.get(4)), streamer.undelivered);
    assertEquals(0, injected.waiting());
  }

  @Test
  void aStreamEndingBeforeItsInjectedFaultFiredHandsItBackWithWhatIsLeft()
      throws InterruptedException {
    injected.add(FaultPlan.parse("disconnect:5").faults().get(0));
    sub.preload(Arrays.asList(status("bitcoin 1"), status("bitcoin 2")));
    at(10 * SECOND, () -> sub.close("client closed"));
    streamer("", Duration.ofSeconds(30)).run();
    List<FaultPlan.Fault> back = injected.takeStreamFaults();
    assertEquals(1, back.size());
    assertEquals(FaultPlan.Kind.DISCONNECT, back.get(0).kind());
    assertEquals(3, back.get(0).after(), "five from the stream's start, two written");
  }

  @Test
  void aCutClosesAtOnce() throws InterruptedException {
    sub.preload(Arrays.asList(status("bitcoin 1"), status("bitcoin 2")));
    assertEquals("fault: cut after 1", streamer("cut:1", Duration.ofSeconds(30)).run());
    assertEquals("closed", socketEnded);
    assertEquals(0, socketEndedAt);
    assertEquals(Collections.emptyList(), sleeps);
  }
}
