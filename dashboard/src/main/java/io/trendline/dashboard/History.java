package io.trendline.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rankings of the last {@code spanMs} (by batch time, counted back from the newest), each with
 * the JSON the page gets: the ranking, when it arrived, and each top keyword's change over the last
 * minute. A batch time seen twice (a consumer restarted from its checkpoint writes a batch again)
 * keeps the later record. Not thread-safe: {@link Board} guards it.
 */
final class History {
  /** How far back "the change over the last minute" looks. */
  static final long CHANGE_SPAN_MS = 60_000;

  /** One accepted ranking. */
  static final class Entry {
    final RankingRecord ranking;

    /** When it arrived: read live, the dashboard's clock; read from the past, the record's time. */
    final long arrivedAt;

    /** What pages get: see {@link History#json}. */
    final JsonObject json;

    Entry(RankingRecord ranking, long arrivedAt, JsonObject json) {
      this.ranking = ranking;
      this.arrivedAt = arrivedAt;
      this.json = json;
    }
  }

  private final long spanMs;
  private final TreeMap<Long, Entry> byBatch = new TreeMap<>();

  History(long spanMs) {
    this.spanMs = spanMs;
  }

  /**
   * Adds a ranking; returns its entry, or null when it is older than the history keeps (its batch
   * time more than the span before the newest).
   */
  Entry add(RankingRecord r, long arrivedAt) {
    Map.Entry<Long, Entry> newest = byBatch.lastEntry();
    if (newest != null && r.batchTime < newest.getKey() - spanMs) {
      return null;
    }
    Entry e = new Entry(r, arrivedAt, json(r, arrivedAt));
    byBatch.put(r.batchTime, e);
    byBatch.headMap(byBatch.lastKey() - spanMs).clear();
    return e;
  }

  /** Oldest first. */
  List<Entry> entries() {
    return new ArrayList<>(byBatch.values());
  }

  /** The ranking of the latest batch, or null. */
  Entry newest() {
    Map.Entry<Long, Entry> e = byBatch.lastEntry();
    return e == null ? null : e.getValue();
  }

  int size() {
    return byBatch.size();
  }

  /**
   * The page's view of a ranking: its fields, {@code arrivedAt}, and per top keyword {@code change}
   * (its count minus its count in the latest ranking at least a minute older, if that one is not
   * much older than a minute; absent otherwise) or {@code entered: true} (not in that ranking's top
   * then).
   */
  private JsonObject json(RankingRecord r, long arrivedAt) {
    Map.Entry<Long, Entry> ref = byBatch.floorEntry(r.batchTime - CHANGE_SPAN_MS);
    if (ref != null
        && r.batchTime - ref.getKey() > CHANGE_SPAN_MS + Math.max(2 * r.slideMs, 5000)) {
      // Rankings are missing around a minute ago (the consumer was down): no change is known.
      ref = null;
    }
    JsonObject o = new JsonObject();
    o.addProperty("batchTime", r.batchTime);
    o.addProperty("arrivedAt", arrivedAt);
    o.addProperty("windowMs", r.windowMs);
    o.addProperty("slideMs", r.slideMs);
    o.addProperty("keys", r.keys);
    o.addProperty("total", r.total);
    o.addProperty("invalidKeys", r.invalidKeys);
    o.addProperty("processingMs", r.processingMs);
    if (ref != null) {
      o.addProperty("changeSinceMs", ref.getKey());
    }
    JsonArray top = new JsonArray();
    for (RankingRecord.Row row : r.top) {
      JsonObject t = new JsonObject();
      t.addProperty("keyword", row.keyword);
      t.addProperty("count", row.count);
      if (ref != null) {
        long before = ref.getValue().ranking.countOf(row.keyword);
        if (before < 0) {
          t.addProperty("entered", true);
        } else {
          t.addProperty("change", row.count - before);
        }
      }
      top.add(t);
    }
    o.add("top", top);
    if (r.totals != null) {
      JsonObject t = new JsonObject();
      t.add("top", RankingRecord.toJson(r.totals));
      t.addProperty("keys", r.totalsKeys);
      t.addProperty("total", r.totalsRecords);
      o.add("totals", t);
    }
    return o;
  }
}
