package io.trendline.local;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chaos run's books: what the stream server delivered, which producer incarnation each stream
 * belonged to and how that incarnation ended, what the statuses topic holds and what the last
 * ranking counted; and the verdict on every status delivered.
 *
 * <p>A delivered status is <em>complete</em> when the topic holds one record under each keyword it
 * matches. One that is not is classified, strictly in this order:
 *
 * <ol>
 *   <li><b>dropped in a crash</b>: its stream belonged to a producer killed with SIGKILL; that
 *       producer had it (or had it on its socket) and could not send it. The stream is
 *       at-most-once: this is the loss the design accepts. The age of the oldest such status at the
 *       kill is recorded: how large the window is.
 *   <li><b>unread at close</b>: the stream ended by a TCP reset or by the producer hanging up
 *       (SIGTERM), and this status is in the stream's missing tail: no status delivered after it on
 *       that stream reached the topic. It was written to a socket nobody read any more.
 *   <li><b>lost</b>: anything else; a status the producer read on a stream that ended in an orderly
 *       way, or one missing between statuses that arrived. Must be zero.
 * </ol>
 *
 * A record in the topic whose status was never delivered, or under a key its status does not match,
 * is <em>foreign</em>; the same status under the same key twice is a <em>duplicate</em>. Both must
 * be zero. Not thread-safe: fill it, then read it.
 */
final class ChaosLedger {
  /** How a producer incarnation ended. */
  enum End {
    /** SIGTERM: it drained and flushed what it had. */
    TERM,
    /** SIGKILL: whatever it held is gone. */
    KILL,
    /** Still running at the end of the chaos; then stopped with SIGTERM. */
    FINAL
  }

  private static final class Delivery {
    final long stream;
    final String id;
    final long atNanos;
    final List<String> keys;

    Delivery(long stream, String id, long atNanos, List<String> keys) {
      this.stream = stream;
      this.id = id;
      this.atNanos = atNanos;
      this.keys = keys;
    }
  }

  private static final class Incarnation {
    final long lastStream;
    final End end;
    final long endNanos;

    Incarnation(long lastStream, End end, long endNanos) {
      this.lastStream = lastStream;
      this.end = end;
      this.endNanos = endNanos;
    }
  }

  private final List<Delivery> deliveries = new ArrayList<>();
  private final List<Incarnation> incarnations = new ArrayList<>();
  private final Map<Long, String> streamEnds = new HashMap<>();
  private final Map<String, Map<String, Integer>> topic = new HashMap<>();
  private long inTopic;
  private long unparsable;
  private Map<String, Long> ranking = Collections.emptyMap();

  /** A status a stream delivered, with the keywords (as configured) it matches. */
  void delivered(long stream, String id, long atNanos, List<String> keys) {
    deliveries.add(new Delivery(stream, id, atNanos, keys));
  }

  /**
   * A producer incarnation ended: it owned every stream after the previous incarnation's last, up
   * to {@code lastStream}. Call in order.
   */
  void producerEnded(long lastStream, End end, long endNanos) {
    incarnations.add(new Incarnation(lastStream, end, endNanos));
  }

  /** Why a stream ended, as the stream server says ({@code fault: reset after 12}, ...). */
  void streamEnded(long stream, String reason) {
    streamEnds.put(stream, reason);
  }

  /** A record of the statuses topic; {@code id} null when its value is not a status. */
  void inTopic(String key, String id) {
    inTopic++;
    if (id == null) {
      unparsable++;
      return;
    }
    topic.computeIfAbsent(key, k -> new HashMap<>()).merge(id, 1, Integer::sum);
  }

  /** The last ranking's count per keyword. */
  void ranking(Map<String, Long> counts) {
    this.ranking = new HashMap<>(counts);
  }

  /** Works out the verdict. */
  Verdict verdict() {
    Verdict v = new Verdict();
    v.inTopic = inTopic;
    v.foreign = unparsable;
    Map<String, Map<String, Integer>> unseen = new HashMap<>();
    for (Map.Entry<String, Map<String, Integer>> e : topic.entrySet()) {
      unseen.put(e.getKey(), new HashMap<>(e.getValue()));
      for (int n : e.getValue().values()) {
        v.duplicates += n - 1;
      }
    }
    Map<Long, List<Delivery>> byStream = new TreeMap<>();
    Map<String, Boolean> seenIds = new HashMap<>();
    for (Delivery d : deliveries) {
      if (seenIds.put(d.id, Boolean.TRUE) != null) {
        // The server gave this status out again: a fault of the server, judged on its first time.
        v.deliveredTwice++;
        continue;
      }
      byStream.computeIfAbsent(d.stream, s -> new ArrayList<>()).add(d);
    }
    v.delivered = deliveries.size();
    for (Map.Entry<Long, List<Delivery>> e : byStream.entrySet()) {
      Incarnation inc = incarnationOf(e.getKey());
      List<Delivery> list = e.getValue();
      // Index of the last status on this stream with any record in the topic.
      int lastArrived = -1;
      for (int i = 0; i < list.size(); i++) {
        if (anyArrived(list.get(i))) {
          lastArrived = i;
        }
      }
      String reason = streamEnds.get(e.getKey());
      boolean closedUnread =
          reason != null && (reason.startsWith("fault: reset") || reason.equals("client closed"));
      for (int i = 0; i < list.size(); i++) {
        Delivery d = list.get(i);
        v.expectedRecords += d.keys.size();
        boolean complete = true;
        for (String key : d.keys) {
          Map<String, Integer> ids = unseen.get(key);
          if (ids == null || ids.remove(d.id) == null) {
            complete = false;
          }
        }
        if (complete) {
          continue;
        }
        if (inc != null && inc.end == End.KILL) {
          v.droppedInCrash++;
          v.crashWindowMs = Math.max(v.crashWindowMs, (inc.endNanos - d.atNanos) / 1_000_000);
        } else if (closedUnread && i > lastArrived) {
          v.unreadAtClose++;
        } else {
          v.lost++;
          if (v.lostExamples.size() < 5) {
            v.lostExamples.add(
                "status " + d.id + " (stream " + d.stream + ", keys " + d.keys + ")");
          }
        }
      }
    }
    for (Map<String, Integer> ids : unseen.values()) {
      for (int n : ids.values()) {
        v.foreign += n;
      }
    }
    // Records the topic holds per keyword: the window covers the whole run, so all of them.
    Map<String, Long> held = new TreeMap<>();
    for (Map.Entry<String, Map<String, Integer>> e : topic.entrySet()) {
      long n = 0;
      for (int c : e.getValue().values()) {
        n += c;
      }
      held.put(e.getKey(), n);
    }
    for (Map.Entry<String, Long> e : held.entrySet()) {
      v.expected += e.getValue();
    }
    for (long c : ranking.values()) {
      v.counted += c;
    }
    Map<String, Long> keys = new TreeMap<>(held);
    for (String k : ranking.keySet()) {
      keys.putIfAbsent(k, 0L);
    }
    for (String k : keys.keySet()) {
      long want = held.getOrDefault(k, 0L);
      long got = ranking.getOrDefault(k, 0L);
      if (want != got) {
        v.countMismatches.put(k, "topic " + want + ", ranking " + got);
      }
    }
    return v;
  }

  private boolean anyArrived(Delivery d) {
    for (String key : d.keys) {
      Map<String, Integer> ids = topic.get(key);
      if (ids != null && ids.containsKey(d.id)) {
        return true;
      }
    }
    return false;
  }

  private Incarnation incarnationOf(long stream) {
    for (Incarnation inc : incarnations) {
      if (stream <= inc.lastStream) {
        return inc;
      }
    }
    return null;
  }

  /** What the books say. */
  static final class Verdict {
    long delivered;
    long deliveredTwice;
    long expectedRecords;
    long inTopic;
    long duplicates;
    long foreign;
    long droppedInCrash;
    long crashWindowMs;
    long unreadAtClose;
    long lost;
    final List<String> lostExamples = new ArrayList<>();
    long expected;
    long counted;
    final Map<String, String> countMismatches = new LinkedHashMap<>();

    /**
     * Nothing lost, nothing twice, nothing foreign, and the ranking counted what the topic holds.
     */
    boolean clean() {
      return lost == 0
          && duplicates == 0
          && foreign == 0
          && deliveredTwice == 0
          && countMismatches.isEmpty();
    }
  }
}
