package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class RankingTest {
  /** Rows of {@code keys} keys with counts from 1 to 50 (many ties), and some without a key. */
  private static List<Tuple2<String, Long>> rows(Random random, int keys) {
    List<Tuple2<String, Long>> rows = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      rows.add(new Tuple2<>("k" + i, 1L + random.nextInt(50)));
    }
    rows.add(new Tuple2<>(KeywordCounts.INVALID_KEY, 7L));
    Collections.shuffle(rows, random);
    return rows;
  }

  @Test
  void rankingPartitionsApartAndMergingEqualsRankingEverything() {
    Random random = new Random(3);
    for (int round = 0; round < 50; round++) {
      List<Tuple2<String, Long>> rows = rows(random, random.nextInt(300));
      int top = random.nextInt(12);
      Ranking whole = Ranking.of(1000, 300_000, 1000, rows, top, 5);
      // The same rows split into up to four partitions at random points.
      List<Ranking.Partial> parts = new ArrayList<>();
      int from = 0;
      int partitions = 1 + random.nextInt(4);
      for (int p = 0; p < partitions; p++) {
        int to = p == partitions - 1 ? rows.size() : from + random.nextInt(rows.size() - from + 1);
        parts.add(Ranking.partial(rows.subList(from, to).iterator(), top));
        from = to;
      }
      Ranking merged = Ranking.merge(1000, 300_000, 1000, parts, top, 5);
      assertEquals(whole.toJson(), merged.toJson(), "round " + round);
      // And against a plain sort of everything.
      List<Tuple2<String, Long>> valid = new ArrayList<>();
      long total = 0;
      for (Tuple2<String, Long> r : rows) {
        if (!r._1().equals(KeywordCounts.INVALID_KEY)) {
          valid.add(r);
          total += r._2();
        }
      }
      valid.sort(
          (a, b) ->
              !a._2().equals(b._2()) ? Long.compare(b._2(), a._2()) : a._1().compareTo(b._1()));
      List<String> expected = new ArrayList<>();
      for (Tuple2<String, Long> r : valid.subList(0, Math.min(top, valid.size()))) {
        expected.add(r._1() + "=" + r._2());
      }
      assertEquals(expected.toString(), merged.top.toString());
      assertEquals(valid.size(), merged.keys);
      assertEquals(total, merged.total);
      assertEquals(7L, merged.invalid);
    }
  }

  @Test
  void theTableEscapesKeysAndBoundsTheirRows() {
    List<Tuple2<String, Long>> rows = new ArrayList<>();
    rows.add(new Tuple2<>("IoT", 5L));
    rows.add(new Tuple2<>("x\n  2  bitcoin     999\u001b[2J", 4L));
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      huge.append('k');
    }
    rows.add(new Tuple2<>(huge.toString(), 3L));
    String table = Ranking.of(1000, 300_000, 1000, rows, 10, 5).toTable();
    String[] lines = table.split("\n", -1);
    assertEquals(5, lines.length, "a header, three rows and the final newline: " + table);
    assertFalse(table.contains("\u001b"), "no escape sequence reaches the terminal");
    assertTrue(lines[2].contains("x\\n  2  bitcoin     999\\u001b[2J"), lines[2]);
    assertTrue(table.length() < 1000, "a 100 KB key prints a bounded row: " + table.length());
    assertTrue(
        Ranking.of(1000, 300_000, 1000, rows, 10, 5).toJson().contains(huge.toString()),
        "the JSON record keeps the key whole: it is data, escaped by JSON");
  }

  @Test
  void withTotalsTheJsonAndTheTableCarryTheAllTimeTopToo() {
    List<Tuple2<String, Long>> window = new ArrayList<>();
    window.add(new Tuple2<>("IoT", 5L));
    List<Tuple2<String, Long>> totals = new ArrayList<>();
    totals.add(new Tuple2<>("bitcoin", 900L));
    totals.add(new Tuple2<>("IoT", 40L));
    totals.add(new Tuple2<>("5G", 7L));
    totals.add(new Tuple2<>(KeywordCounts.INVALID_KEY, 3L));
    Ranking plain = Ranking.of(1000, 300_000, 1000, window, 2, 5);
    assertEquals(null, plain.totals);
    assertFalse(plain.toJson().contains("totals"));
    Ranking r =
        plain.withTotals(Collections.singletonList(Ranking.partial(totals.iterator(), 2)), 2);
    assertEquals("[bitcoin=900, IoT=40]", r.totals.toString());
    assertEquals(3, r.totalsKeys);
    assertEquals(947, r.totalsRecords, "records with a key, as in the window");
    assertEquals(
        "{\"batchTime\":1000,\"windowMs\":300000,\"slideMs\":1000,\"top\":[{\"keyword\":\"IoT\","
            + "\"count\":5}],\"keys\":1,\"total\":5,\"invalidKeys\":0,\"processingMs\":5,"
            + "\"totals\":{\"top\":[{\"keyword\":\"bitcoin\",\"count\":900},{\"keyword\":\"IoT\","
            + "\"count\":40}],\"keys\":3,\"total\":947}}",
        r.toJson());
    String table = r.toTable();
    assertTrue(table.contains("    all-time: 3 keywords, 947 records\n"), table);
    assertTrue(table.contains("  1  bitcoin        900\n"), table);
  }
}
