package io.trendline.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
  /** A ranking at {@code batchTime} with rows "keyword=count". */
  static RankingRecord ranking(long batchTime, String... rows) throws RankingRecord.Bad {
    StringBuilder top = new StringBuilder();
    for (String row : rows) {
      String[] kv = row.split("=");
      top.append(top.length() == 0 ? "" : ",")
          .append("{\"keyword\":\"")
          .append(kv[0])
          .append("\",\"count\":")
          .append(kv[1])
          .append('}');
    }
    return RankingRecord.parse(
        "{\"batchTime\":"
            + batchTime
            + ",\"windowMs\":300000,\"slideMs\":1000,\"keys\":"
            + rows.length
            + ",\"total\":10,\"top\":["
            + top
            + "]}");
  }

  static JsonObject row(History.Entry e, int i) {
    return e.json.getAsJsonArray("top").get(i).getAsJsonObject();
  }

  @Test
  void eachKeywordsChangeIsCountedAgainstTheRankingAMinuteBefore() throws Exception {
    History h = new History(15 * 60_000);
    History.Entry first = h.add(ranking(100_000, "a=5", "b=3"), 1);
    // Less than a minute of history: no change is known yet.
    assertFalse(row(first, 0).has("change"));
    assertFalse(first.json.has("changeSinceMs"));
    h.add(ranking(130_000, "a=9", "b=4"), 2);
    History.Entry e = h.add(ranking(161_000, "a=7", "c=6", "b=1"), 3);
    // The latest ranking at least 60 s older is the one at 100 s (130 s is only 31 s before).
    assertEquals(100_000, e.json.get("changeSinceMs").getAsLong());
    assertEquals(2, row(e, 0).get("change").getAsLong());
    assertEquals("c", row(e, 1).get("keyword").getAsString());
    assertTrue(row(e, 1).get("entered").getAsBoolean());
    assertFalse(row(e, 1).has("change"));
    assertEquals(-2, row(e, 2).get("change").getAsLong());
    assertEquals(3, e.arrivedAt);
    assertEquals(161_000, h.newest().ranking.batchTime);
  }

  @Test
  void noChangeIsShownAgainstARankingMuchOlderThanAMinute() throws Exception {
    History h = new History(15 * 60_000);
    h.add(ranking(100_000, "a=5"), 1);
    // The consumer was down for four minutes: the ranking before is not "a minute ago".
    History.Entry e = h.add(ranking(340_000, "a=9"), 2);
    assertFalse(row(e, 0).has("change"));
    assertFalse(row(e, 0).has("entered"));
    assertFalse(e.json.has("changeSinceMs"));
    // Within the tolerance (a few slides), it is.
    h.add(ranking(345_000, "a=9"), 3);
    assertEquals(4, row(h.add(ranking(403_000, "a=13"), 4), 0).get("change").getAsLong());
  }

  @Test
  void keepsTheSpanBeforeTheNewestAndTheLaterOfTwoRecordsOfOneBatch() throws Exception {
    History h = new History(10_000);
    for (long t = 0; t <= 20_000; t += 1000) {
      h.add(ranking(t, "a=" + t), t);
    }
    List<Long> kept = new ArrayList<>();
    for (History.Entry e : h.entries()) {
      kept.add(e.ranking.batchTime);
    }
    assertEquals(11, kept.size());
    assertEquals(10_000L, kept.get(0));
    assertEquals(20_000L, kept.get(10));
    // Older than the span before the newest: not kept.
    assertNull(h.add(ranking(9_000, "a=1"), 1));
    // Late but within the span: kept in its place.
    h.add(ranking(15_500, "a=1"), 1);
    assertEquals(12, h.size());
    // The same batch again (a consumer restarted on its checkpoint): the later record wins.
    h.add(ranking(20_000, "a=77"), 5);
    assertEquals(12, h.size());
    assertEquals(77, h.newest().ranking.countOf("a"));
  }
}
