package io.trendline.dashboard;

import static io.trendline.dashboard.HistoryTest.ranking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BoardTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  private Board board(int maxPages, int queue) {
    return new Board("rankings", 15 * 60_000, 3_000, maxPages, queue, now::get);
  }

  /** The next frame's event name and its data. */
  private static String[] next(Board.Page p) throws InterruptedException {
    String frame = p.next(0);
    assertNotNull(frame, "an event was expected");
    String[] lines = frame.split("\n");
    return new String[] {
      lines[0].substring("event: ".length()), lines[1].substring("data: ".length())
    };
  }

  private static JsonObject json(String data) {
    return JsonParser.parseString(data).getAsJsonObject();
  }

  @Test
  void aPageGetsTheSnapshotThenEveryRankingInOrder() throws Exception {
    Board b = board(5, 100);
    b.state(Board.LIVE);
    b.accept(ranking(1000, "a=1"), now.get());
    Board.Page p = b.connect();
    String[] first = next(p);
    assertEquals("snapshot", first[0]);
    JsonObject snap = json(first[1]);
    assertEquals("rankings", snap.get("topic").getAsString());
    assertEquals(1, snap.getAsJsonArray("rankings").size());
    assertEquals(3000, snap.get("staleAfterMs").getAsLong());
    assertNull(p.next(0));
    b.accept(ranking(2000, "a=2"), now.get());
    b.accept(ranking(3000, "a=3"), now.get());
    String[] r2 = next(p);
    assertEquals("ranking", r2[0]);
    assertEquals(2000, json(r2[1]).get("batchTime").getAsLong());
    assertEquals(3000, json(next(p)[1]).get("batchTime").getAsLong());
    // Every frame is one Server-Sent Event: "event:", one "data:" line, a blank line.
    b.tick();
    String frame = p.next(0);
    assertTrue(frame.matches("event: status\ndata: [^\n]+\n\n"), frame);
    assertEquals(1, b.openPages());
    p.close();
    assertEquals(0, b.openPages());
    assertFalse(p.isOpen());
  }

  @Test
  void whileTheReaderCatchesUpRankingsAreKeptAndGoingLiveSendsThemAllAtOnce() throws Exception {
    Board b = board(5, 3);
    Board.Page p = b.connect();
    assertEquals("snapshot", next(p)[0]);
    b.state("reading the last 15 min of 'rankings'");
    assertEquals("status", next(p)[0]);
    // More rankings than the page's queue holds: streamed one by one they would drop it.
    for (int i = 1; i <= 10; i++) {
      assertTrue(b.accept(ranking(i * 1000L, "a=" + i), now.get()));
    }
    assertNull(p.next(0), "nothing streamed while catching up");
    b.state(Board.LIVE);
    String[] snap = next(p);
    assertEquals("snapshot", snap[0]);
    assertEquals(10, json(snap[1]).getAsJsonArray("rankings").size());
    assertEquals("live", json(snap[1]).getAsJsonObject("status").get("state").getAsString());
    assertTrue(p.isOpen());
    b.accept(ranking(11_000, "a=11"), now.get());
    assertEquals(11_000, json(next(p)[1]).get("batchTime").getAsLong());
    // A ranking older than the history kept is counted, not shown.
    Board c = board(5, 3);
    c.accept(ranking(20 * 60_000, "a=1"), now.get());
    assertFalse(c.accept(ranking(4 * 60_000 - 1, "a=1"), now.get()));
    assertEquals(1, c.tooOld());
    assertEquals(0, b.tooOld());
    assertNull(p.next(0));
  }

  @Test
  void rankingsStopArrivingAndThePageIsToldItIsStale() throws Exception {
    Board b = board(5, 100);
    assertTrue(b.stale(), "no ranking yet");
    b.accept(ranking(1000, "a=1"), now.get());
    assertFalse(b.stale());
    now.addAndGet(3000);
    assertFalse(b.stale(), "exactly stale.after: not yet");
    now.addAndGet(1);
    assertTrue(b.stale());
    JsonObject status = json(b.statusJson());
    assertTrue(status.get("stale").getAsBoolean());
    assertEquals(3001, status.get("ageMs").getAsLong());
    b.accept(ranking(2000, "a=1"), now.get());
    assertFalse(json(b.statusJson()).get("stale").getAsBoolean());
  }

  @Test
  void badRecordsAreCountedAndTheLatestShownAsWarnings() throws Exception {
    Board b = board(5, 100);
    Board.Page p = b.connect();
    next(p);
    for (int i = 0; i < 15; i++) {
      b.bad("partition 0 offset " + i, "not JSON");
    }
    // A burst of bad records is told with the next status, as one event.
    assertNull(p.next(0));
    b.tick();
    JsonObject status = json(b.statusJson());
    assertEquals(15, status.get("badRecords").getAsLong());
    assertEquals(Board.WARNINGS_KEPT, status.getAsJsonArray("warnings").size());
    assertEquals(
        "partition 0 offset 14: not JSON",
        status.getAsJsonArray("warnings").get(9).getAsJsonObject().get("text").getAsString());
    String[] first = next(p);
    assertEquals("status", first[0]);
    assertEquals(15, json(first[1]).get("badRecords").getAsLong());
    assertNull(p.next(0));
  }

  @Test
  void pagesBeyondTheCapAreRefusedAndASlowPageIsDisconnectedAlone() throws Exception {
    Board b = board(2, 3);
    b.state(Board.LIVE);
    Board.Page slow = b.connect();
    Board.Page quick = b.connect();
    assertNull(b.connect());
    assertEquals(1, b.refusedPages());
    next(quick);
    // The slow page holds its snapshot and two more; the third overflows its queue.
    b.accept(ranking(1000, "a=1"), now.get());
    b.accept(ranking(2000, "a=1"), now.get());
    assertTrue(slow.isOpen());
    next(quick);
    next(quick);
    b.accept(ranking(3000, "a=1"), now.get());
    assertFalse(slow.isOpen());
    assertNull(slow.next(0), "a disconnected page gets nothing more");
    assertEquals(1, b.droppedPages());
    assertEquals(3000, json(next(quick)[1]).get("batchTime").getAsLong());
    // Its connection still holds its place until it has ended...
    assertEquals(2, b.openPages());
    assertNull(b.connect());
    slow.close();
    // ...and then the place is free again.
    assertEquals(1, b.openPages());
    assertNotNull(b.connect());
  }

  @Test
  @Timeout(60) // a page that is never woken would wait forever
  void closingTheBoardWakesAPageWaitingForAnEvent() throws Exception {
    Board b = board(2, 10);
    Board.Page p = b.connect();
    next(p);
    AtomicReference<String> got = new AtomicReference<>("unset");
    Thread waiter =
        new Thread(
            () -> {
              try {
                got.set(p.next(Long.MAX_VALUE / 2));
              } catch (InterruptedException e) {
                got.set("interrupted");
              }
            });
    waiter.start();
    b.closeAll();
    waiter.join();
    assertNull(got.get());
    assertFalse(p.isOpen());
  }
}
