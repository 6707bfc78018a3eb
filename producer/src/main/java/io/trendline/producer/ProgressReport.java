package io.trendline.producer;

import io.trendline.common.KeywordList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats the producer's one-line progress report and its final report. Stateless. */
final class ProgressReport {
  private static final int KEYWORDS_IN_LINE = 5;

  private ProgressReport() {}

  /**
   * One line: rate of messages since {@code previous}, then totals. For example {@code in 412.0
   * msg/s | statuses 8123 | matched bitcoin=5012 IoT=2201 (+2 more) | unmatched 10 | sent 7300
   * acked 7290 failed 0 | dropped 0 | queue 3 | notices 4 | malformed 0}.
   */
  static String line(
      ProducerMetrics.Snapshot previous, ProducerMetrics.Snapshot now, KeywordList keywords) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "in %.1f msg/s", rate(previous, now)));
    sb.append(" | statuses ").append(now.statuses);
    sb.append(" | matched ").append(topKeywords(now.matched, keywords, KEYWORDS_IN_LINE));
    sb.append(" | unmatched ").append(now.unmatched);
    sb.append(" | sent ").append(now.sent);
    sb.append(" acked ").append(now.acked);
    sb.append(" failed ").append(now.failed);
    sb.append(" | dropped ").append(now.dropped);
    sb.append(" | queue ").append(now.queueDepth);
    sb.append(" | notices ").append(now.notices());
    sb.append(" | malformed ").append(now.malformed());
    if (now.limitUndelivered > 0) {
      sb.append(" | undelivered (limit) ").append(now.limitUndelivered);
    }
    if (now.ruleMismatches > 0) {
      sb.append(" | rules vs track ").append(now.ruleMismatches);
    }
    if (now.duplicates > 0) {
      sb.append(" | duplicates ").append(now.duplicates);
    }
    return sb.toString();
  }

  /** Messages per second read from {@code previous} to {@code now}; 0 when no time passed. */
  static double rate(ProducerMetrics.Snapshot previous, ProducerMetrics.Snapshot now) {
    double seconds = (now.nanoTime - previous.nanoTime) / 1e9;
    return seconds > 0 ? (now.messages - previous.messages) / seconds : 0;
  }

  /** The final report: every keyword's count, largest first, then every counter. */
  static String summary(
      ProducerMetrics.Snapshot s, KeywordList keywords, long elapsedNanos, boolean dryRun) {
    StringBuilder sb = new StringBuilder();
    double seconds = elapsedNanos / 1e9;
    sb.append(dryRun ? "Dry run: nothing was sent.\n" : "");
    sb.append(
        String.format(
            Locale.ROOT,
            "Read %d messages in %.1f s (%d statuses, %d notices, %d malformed or unknown).%n",
            s.messages,
            seconds,
            s.statuses,
            s.notices(),
            s.malformed()));
    sb.append("Statuses matched per keyword:\n");
    int width = 7;
    for (String term : keywords.terms()) {
      width = Math.max(width, term.length());
    }
    for (int i : order(s.matched)) {
      sb.append(
          String.format(
              Locale.ROOT, "  %-" + width + "s %10d%n", keywords.get(i).term(), s.matched[i]));
    }
    sb.append(String.format(Locale.ROOT, "  %-" + width + "s %10d%n", "(none)", s.unmatched));
    if (!dryRun) {
      sb.append(
          String.format(
              Locale.ROOT,
              "Records sent %d, acknowledged %d, failed %d.%n",
              s.sent,
              s.acked,
              s.failed));
    }
    sb.append(String.format(Locale.ROOT, "Dropped by the client queue: %d.", s.dropped));
    if (s.limitUndelivered > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nThe service reported %d matching statuses it did not deliver (limit notices).",
              s.limitUndelivered));
    }
    if (s.ruleMismatches > 0) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%nPosts whose matching rules and track matching disagreed on the keywords: %d.",
              s.ruleMismatches));
    }
    if (s.duplicates > 0) {
      sb.append(
          String.format(
              Locale.ROOT, "%nPosts read twice (backfill) and dropped: %d.", s.duplicates));
    }
    return sb.toString();
  }

  static String topKeywords(long[] counts, KeywordList keywords, int limit) {
    List<Integer> order = order(counts);
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (int i : order) {
      if (shown == limit) {
        break;
      }
      if (shown > 0) {
        sb.append(' ');
      }
      sb.append(keywords.get(i).term()).append('=').append(counts[i]);
      shown++;
    }
    if (order.size() > shown) {
      sb.append(" (+").append(order.size() - shown).append(" more)");
    }
    return sb.toString();
  }

  /** Keyword indexes by count descending, ties in configured order. */
  private static List<Integer> order(long[] counts) {
    List<Integer> order = new ArrayList<>(counts.length);
    for (int i = 0; i < counts.length; i++) {
      order.add(i);
    }
    order.sort(
        (a, b) ->
            counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
    return order;
  }
}
