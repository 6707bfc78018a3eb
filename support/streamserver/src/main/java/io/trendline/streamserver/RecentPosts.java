package io.trendline.streamserver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The posts v2 streams carried lately, with when: what a reconnecting client's {@code
 * backfill_minutes} asks for again (X keeps five minutes). Bounded in time and in count.
 * Thread-safe.
 */
final class RecentPosts {
  static final long KEEP_MS = 5 * 60_000L;
  static final int MAX_POSTS = 100_000;

  private final ArrayDeque<long[]> times = new ArrayDeque<>();
  private final ArrayDeque<Item> items = new ArrayDeque<>();

  synchronized void add(Item item, long nowMs) {
    times.addLast(new long[] {nowMs});
    items.addLast(item);
    while (!times.isEmpty()
        && (times.size() > MAX_POSTS || times.peekFirst()[0] < nowMs - KEEP_MS)) {
      times.removeFirst();
      items.removeFirst();
    }
  }

  /** The posts carried at or after {@code fromMs}, oldest first, each once. */
  synchronized List<Item> since(long fromMs) {
    List<Item> out = new ArrayList<>();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    Iterator<long[]> t = times.iterator();
    for (Item item : items) {
      if (t.next()[0] >= fromMs && seen.add(item.seq)) {
        out.add(item);
      }
    }
    return out;
  }
}
