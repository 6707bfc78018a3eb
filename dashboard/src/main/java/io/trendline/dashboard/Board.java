package io.trendline.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What the dashboard knows and who is watching: the {@link History} of rankings, the reader's
 * state, the bad records seen, and the open pages, each with its own bounded queue of Server-Sent
 * Events. A page that connects gets a snapshot and then every event after it, none missed and none
 * twice (both happen under one lock). While the reader catches up (reading back the history, or
 * after an error) rankings are kept but not streamed; once it follows the topic live every page
 * gets a fresh snapshot, so a long read-back never floods a page. A page too slow to keep up (its
 * queue full) is disconnected, and its browser reconnects to a fresh snapshot; it keeps its place
 * under {@code maxPages} until its connection has ended. Thread-safe.
 */
final class Board {
  /** How many bad-record warnings pages are shown (the count covers all). */
  static final int WARNINGS_KEPT = 10;

  private final History history;
  private final long historyMs;
  private final long staleAfterMs;
  private final int maxPages;
  private final int queueCapacity;
  private final LongSupplier clock;
  private final String topic;

  private final List<Page> pages = new ArrayList<>();
  private final Deque<JsonObject> warnings = new ArrayDeque<>();

  /** The state that means the reader follows the topic as it is written. */
  static final String LIVE = "live";

  private String state = "starting";
  private long badRecords;
  private long rankings;
  private long tooOld;
  private long droppedPages;
  private long refusedPages;

  Board(
      String topic,
      long historyMs,
      long staleAfterMs,
      int maxPages,
      int queueCapacity,
      LongSupplier clock) {
    this.topic = topic;
    this.history = new History(historyMs);
    this.historyMs = historyMs;
    this.staleAfterMs = staleAfterMs;
    this.maxPages = maxPages;
    this.queueCapacity = queueCapacity;
    this.clock = clock;
  }

  /** An open page's stream of events. */
  final class Page implements AutoCloseable {
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(queueCapacity);
    private volatile boolean open = true;

    private Page() {}

    /**
     * The next event, formatted for the wire; null after {@code timeoutMs} without one, or once the
     * page is closed (check {@link #isOpen}).
     */
    String next(long timeoutMs) throws InterruptedException {
      if (!open) {
        return null;
      }
      String frame = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
      return open ? frame : null;
    }

    boolean isOpen() {
      return open;
    }

    private void offer(String frame) {
      if (!open) {
        return;
      }
      if (!queue.offer(frame)) {
        // Too slow: it is disconnected rather than sent a history with holes.
        shut();
        droppedPages++;
      }
    }

    /** Marks the page closed and wakes its writer. */
    private void shut() {
      open = false;
      queue.clear();
      queue.offer("");
    }

    @Override
    public void close() {
      synchronized (Board.this) {
        shut();
        pages.remove(this);
      }
    }
  }

  // ---- The reader's side

  /**
   * The reader's state ({@value #LIVE} when it follows the topic); a change is sent to the pages at
   * once, and the change to live sends them a fresh snapshot.
   */
  synchronized void state(String state) {
    if (!state.equals(this.state)) {
      boolean nowLive = state.equals(LIVE);
      this.state = state;
      publish(nowLive ? "snapshot" : "status", nowLive ? snapshotJson() : statusJson());
    }
  }

  /**
   * Adds a ranking read from the topic and, when the reader is live, sends it to every page.
   *
   * @return false when it is older than the history keeps (counted, not shown)
   */
  synchronized boolean accept(RankingRecord r, long arrivedAt) {
    History.Entry e = history.add(r, arrivedAt);
    if (e == null) {
      tooOld++;
      return false;
    }
    rankings++;
    if (state.equals(LIVE)) {
      publish("ranking", e.json.toString());
    }
    return true;
  }

  /** Counts a record that is not a ranking; pages show the latest ones as warnings. */
  synchronized void bad(String where, String why) {
    badRecords++;
    JsonObject w = new JsonObject();
    w.addProperty("at", clock.getAsLong());
    w.addProperty("text", where + ": " + why);
    warnings.addLast(w);
    while (warnings.size() > WARNINGS_KEPT) {
      warnings.removeFirst();
    }
    // Pages hear of it with the next status (each second): a burst of bad records is one event.
  }

  /** Sends the status to every page (once a second: it carries the age of the newest ranking). */
  synchronized void tick() {
    publish("status", statusJson());
  }

  /** Closes every page (the dashboard stops). */
  synchronized void closeAll() {
    for (Page p : pages) {
      p.shut();
    }
  }

  // ---- The pages' side

  /** A new page, sent the snapshot first; null when {@code maxPages} are already open. */
  synchronized Page connect() {
    if (pages.size() >= maxPages) {
      refusedPages++;
      return null;
    }
    Page p = new Page();
    p.offer(frame("snapshot", snapshotJson()));
    pages.add(p);
    return p;
  }

  /** Every ranking kept (oldest first), the settings pages need, and the status. */
  synchronized String snapshotJson() {
    JsonObject o = new JsonObject();
    o.addProperty("topic", topic);
    o.addProperty("historyMs", historyMs);
    o.addProperty("staleAfterMs", staleAfterMs);
    o.addProperty("changeSpanMs", History.CHANGE_SPAN_MS);
    JsonArray rankings = new JsonArray();
    for (History.Entry e : history.entries()) {
      rankings.add(e.json);
    }
    o.add("rankings", rankings);
    o.add("status", status());
    return o.toString();
  }

  synchronized String statusJson() {
    return status().toString();
  }

  /** Whether rankings stopped arriving: none for {@code staleAfterMs}, or none yet. */
  synchronized boolean stale() {
    History.Entry newest = history.newest();
    return newest == null || clock.getAsLong() - newest.arrivedAt > staleAfterMs;
  }

  synchronized long badRecords() {
    return badRecords;
  }

  synchronized long rankings() {
    return rankings;
  }

  /** Rankings older than the history kept when they arrived (not shown). */
  synchronized long tooOld() {
    return tooOld;
  }

  synchronized int openPages() {
    return pages.size();
  }

  synchronized long droppedPages() {
    return droppedPages;
  }

  synchronized long refusedPages() {
    return refusedPages;
  }

  private JsonObject status() {
    long now = clock.getAsLong();
    History.Entry newest = history.newest();
    JsonObject o = new JsonObject();
    o.addProperty("now", now);
    o.addProperty("state", state);
    o.addProperty("stale", stale());
    if (newest != null) {
      o.addProperty("ageMs", Math.max(0, now - newest.arrivedAt));
    }
    o.addProperty("rankings", rankings);
    o.addProperty("tooOld", tooOld);
    o.addProperty("badRecords", badRecords);
    JsonArray w = new JsonArray();
    for (JsonObject x : warnings) {
      w.add(x);
    }
    o.add("warnings", w);
    return o;
  }

  private void publish(String event, String data) {
    String frame = frame(event, data);
    for (Page p : pages) {
      // A page dropped here stays listed (and counted) until its connection ends: close().
      p.offer(frame);
    }
  }

  /** One Server-Sent Event; {@code data} is compact JSON (no line breaks). */
  static String frame(String event, String data) {
    return "event: " + event + "\ndata: " + data + "\n\n";
  }
}
