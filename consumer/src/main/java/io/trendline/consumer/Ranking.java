package io.trendline.consumer;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.trendline.common.Printable;
import java.io.Serializable;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.TimeZone;
import scala.Tuple2;

/**
 * One batch's ranking: the keywords of the window by count, descending, ties by keyword; records
 * with no key are counted apart. Immutable.
 */
public final class Ranking implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One row. */
  public static final class Entry implements Serializable {
    private static final long serialVersionUID = 1L;
    public final String keyword;
    public final long count;

    Entry(String keyword, long count) {
      this.keyword = keyword;
      this.count = count;
    }

    @Override
    public String toString() {
      return keyword + "=" + count;
    }
  }

  public final long batchTime;
  public final long windowMs;
  public final long slideMs;
  public final List<Entry> top;
  public final int keys;
  public final long total;
  public final long invalid;

  /** The previous batch's processing time in ms, -1 when unknown. */
  public final long processingMs;

  /** The all-time top keywords, when the consumer keeps totals; else null. */
  public final List<Entry> totals;

  /** With totals: the keys in the totals' state and their records since the job started. */
  public final int totalsKeys;

  public final long totalsRecords;

  Ranking(
      long batchTime,
      long windowMs,
      long slideMs,
      List<Entry> top,
      int keys,
      long total,
      long invalid,
      long processingMs) {
    this(batchTime, windowMs, slideMs, top, keys, total, invalid, processingMs, null, 0, 0);
  }

  private Ranking(
      long batchTime,
      long windowMs,
      long slideMs,
      List<Entry> top,
      int keys,
      long total,
      long invalid,
      long processingMs,
      List<Entry> totals,
      int totalsKeys,
      long totalsRecords) {
    this.totals = totals == null ? null : Collections.unmodifiableList(totals);
    this.totalsKeys = totalsKeys;
    this.totalsRecords = totalsRecords;
    this.batchTime = batchTime;
    this.windowMs = windowMs;
    this.slideMs = slideMs;
    this.top = Collections.unmodifiableList(top);
    this.keys = keys;
    this.total = total;
    this.invalid = invalid;
    this.processingMs = processingMs;
  }

  /** Ranks the window's counts (as collected from the windowed stream). */
  static Ranking of(
      long batchTime,
      long windowMs,
      long slideMs,
      List<Tuple2<String, Long>> counts,
      int topN,
      long processingMs) {
    return merge(
        batchTime,
        windowMs,
        slideMs,
        Collections.singletonList(partial(counts.iterator(), topN)),
        topN,
        processingMs);
  }

  /** Highest count first, then keyword. */
  private static final Comparator<Entry> ORDER =
      (a, b) ->
          a.count != b.count ? Long.compare(b.count, a.count) : a.keyword.compareTo(b.keyword);

  /**
   * What one partition of the counts contributes: its own top {@code topN}, its number of keys, its
   * total and its records without a key. Ranking partitions where they are and merging these on the
   * driver moves {@code topN} rows per partition instead of every key.
   */
  static final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;
    final List<Entry> top;
    final int keys;
    final long total;
    final long invalid;

    Partial(List<Entry> top, int keys, long total, long invalid) {
      this.top = top;
      this.keys = keys;
      this.total = total;
      this.invalid = invalid;
    }
  }

  static Partial partial(Iterator<Tuple2<String, Long>> counts, int topN) {
    // The current top N, its worst entry at the head.
    PriorityQueue<Entry> best = new PriorityQueue<>(Math.max(1, topN), ORDER.reversed());
    int keys = 0;
    long total = 0;
    long invalid = 0;
    while (counts.hasNext()) {
      Tuple2<String, Long> kv = counts.next();
      if (KeywordCounts.INVALID_KEY.equals(kv._1())) {
        invalid += kv._2();
        continue;
      }
      keys++;
      total += kv._2();
      Entry e = new Entry(kv._1(), kv._2());
      if (best.size() < topN) {
        best.add(e);
      } else if (topN > 0 && ORDER.compare(e, best.peek()) < 0) {
        best.poll();
        best.add(e);
      }
    }
    return new Partial(new ArrayList<>(best), keys, total, invalid);
  }

  static Ranking merge(
      long batchTime,
      long windowMs,
      long slideMs,
      List<Partial> parts,
      int topN,
      long processingMs) {
    List<Entry> all = new ArrayList<>();
    int keys = 0;
    long total = 0;
    long invalid = 0;
    for (Partial p : parts) {
      all.addAll(p.top);
      keys += p.keys;
      total += p.total;
      invalid += p.invalid;
    }
    all.sort(ORDER);
    List<Entry> top = new ArrayList<>(all.subList(0, Math.min(topN, all.size())));
    return new Ranking(batchTime, windowMs, slideMs, top, keys, total, invalid, processingMs);
  }

  /** This ranking with the all-time totals merged from {@code parts} (their top {@code topN}). */
  Ranking withTotals(List<Partial> parts, int topN) {
    Ranking t = merge(batchTime, windowMs, slideMs, parts, topN, processingMs);
    return new Ranking(
        batchTime,
        windowMs,
        slideMs,
        top,
        keys,
        total,
        invalid,
        processingMs,
        t.top,
        t.keys,
        t.total);
  }

  /**
   * One JSON object: {@code {"batchTime":ms,"windowMs":300000,"slideMs":1000,"top":[{"keyword":
   * "bitcoin","count":12},...],"keys":4,"total":40,"invalidKeys":0,"processingMs":35}}, and with
   * totals {@code "totals":{"top":[...],"keys":N,"total":M}} (counts since the job started).
   */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("batchTime", batchTime);
    o.addProperty("windowMs", windowMs);
    o.addProperty("slideMs", slideMs);
    o.add("top", rows(top));
    o.addProperty("keys", keys);
    o.addProperty("total", total);
    o.addProperty("invalidKeys", invalid);
    o.addProperty("processingMs", processingMs);
    if (totals != null) {
      JsonObject t = new JsonObject();
      t.add("top", rows(totals));
      t.addProperty("keys", totalsKeys);
      t.addProperty("total", totalsRecords);
      o.add("totals", t);
    }
    return o.toString();
  }

  private static JsonArray rows(List<Entry> entries) {
    JsonArray rows = new JsonArray();
    for (Entry e : entries) {
      JsonObject row = new JsonObject();
      row.addProperty("keyword", e.keyword);
      row.addProperty("count", e.count);
      rows.add(row);
    }
    return rows;
  }

  /**
   * A readable table, headed with the batch time (UTC) and the window; keywords shown by {@link
   * Printable#keyword} (control characters escaped, at most {@value Printable#KEYWORD_CHARS}
   * characters).
   */
  public String toTable() {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "--- %s UTC | window %ds, slide %ds | %d keywords, %d records%s ---%n",
            f.format(new Date(batchTime)),
            windowMs / 1000,
            slideMs / 1000,
            keys,
            total,
            invalid > 0 ? ", " + invalid + " without a key" : ""));
    rows(sb, top);
    if (top.isEmpty()) {
      sb.append("     (no records in the window)\n");
    }
    if (totals != null) {
      sb.append(
          String.format(
              Locale.ROOT, "    all-time: %d keywords, %d records%n", totalsKeys, totalsRecords));
      rows(sb, totals);
    }
    return sb.toString();
  }

  /** Numbered rows of keywords and counts, aligned. */
  private static void rows(StringBuilder sb, List<Entry> top) {
    // Keys come from Kafka records: escaped and bounded, so that no key forges rows, reaches the
    // terminal as an escape sequence or makes the table huge.
    List<String> shown = new ArrayList<>(top.size());
    int width = 7;
    for (Entry e : top) {
      String keyword = Printable.keyword(e.keyword);
      shown.add(keyword);
      width = Math.max(width, keyword.codePointCount(0, keyword.length()));
    }
    for (int i = 0; i < top.size(); i++) {
      String keyword = shown.get(i);
      int pad = width - keyword.codePointCount(0, keyword.length());
      sb.append(String.format(Locale.ROOT, "%3d  %s", i + 1, keyword));
      for (int p = 0; p < pad; p++) {
        sb.append(' ');
      }
      sb.append(String.format(Locale.ROOT, " %10d%n", top.get(i).count));
    }
  }
}
