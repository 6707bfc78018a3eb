package io.trendline.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RankingRecordTest {
  /** A ranking as the consumer's Kafka sink writes it (Ranking.toJson), with totals. */
  static final String WITH_TOTALS =
      "{\"batchTime\":1700000000000,\"windowMs\":300000,\"slideMs\":1000,"
          + "\"top\":[{\"keyword\":\"bitcoin\",\"count\":12},{\"keyword\":\"iot\",\"count\":7}],"
          + "\"keys\":4,\"total\":40,\"invalidKeys\":1,\"processingMs\":35,"
          + "\"totals\":{\"top\":[{\"keyword\":\"bitcoin\",\"count\":900}],\"keys\":9,\"total\":1200}}";

  static RankingRecord parse(String json) throws RankingRecord.Bad {
    return RankingRecord.parse(json.getBytes(StandardCharsets.UTF_8), 1 << 20);
  }

  static String why(String json) {
    return assertThrows(RankingRecord.Bad.class, () -> parse(json)).getMessage();
  }

  @Test
  void readsTheConsumersRecordWithItsTotals() throws Exception {
    RankingRecord r = parse(WITH_TOTALS);
    assertEquals(1700000000000L, r.batchTime);
    assertEquals(300000, r.windowMs);
    assertEquals(1000, r.slideMs);
    assertEquals("[bitcoin=12, iot=7]", r.top.toString());
    assertEquals(4, r.keys);
    assertEquals(40, r.total);
    assertEquals(1, r.invalidKeys);
    assertEquals(35, r.processingMs);
    assertEquals("[bitcoin=900]", r.totals.toString());
    assertEquals(9, r.totalsKeys);
    assertEquals(1200, r.totalsRecords);
    assertEquals(12, r.countOf("bitcoin"));
    assertEquals(-1, r.countOf("nothing"));
  }

  @Test
  void withoutTotalsAndOptionalFieldsTheDefaultsHold() throws Exception {
    RankingRecord r =
        parse(
            "{\"batchTime\":5,\"windowMs\":3000,\"slideMs\":1000,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":\"b\",\"count\":1},{\"keyword\":\"a\",\"count\":1},"
                + "{\"keyword\":\"c\",\"count\":3}]}");
    assertNull(r.totals);
    assertEquals(0, r.invalidKeys);
    assertEquals(-1, r.processingMs);
    // Ranked as the consumer ranks: count, then keyword, whatever order the record has.
    assertEquals("[c=3, a=1, b=1]", r.top.toString());
  }

  @Test
  void whatIsNotARankingIsRefusedWithOneLineSayingWhy() {
    assertEquals(
        "an empty record",
        assertThrows(RankingRecord.Bad.class, () -> RankingRecord.parse(new byte[0], 100))
            .getMessage());
    assertEquals(
        "an empty record",
        assertThrows(RankingRecord.Bad.class, () -> RankingRecord.parse(null, 100)).getMessage());
    assertEquals(
        "a record of 101 bytes (at most 100 are read)",
        assertThrows(RankingRecord.Bad.class, () -> RankingRecord.parse(new byte[101], 100))
            .getMessage());
    assertEquals(
        "not UTF-8 text",
        assertThrows(
                RankingRecord.Bad.class,
                () -> RankingRecord.parse(new byte[] {'{', (byte) 0xC3, '}'}, 100))
            .getMessage());
    assertEquals("not JSON", why("{\"batchTime\":"));
    assertEquals("not JSON", why("hello world"));
    assertEquals("not JSON", why("{} {}"));
    assertEquals("not a JSON object", why("[1,2]"));
    assertEquals("not a JSON object", why("\"text\""));
    assertEquals("field 'batchTime' is missing", why("{\"foo\":1}"));
    assertEquals(
        "field 'windowMs' is not a number",
        why(
            "{\"batchTime\":1,\"windowMs\":\"300s\",\"slideMs\":1,\"top\":[],\"keys\":0,\"total\":0}"));
    assertEquals(
        "field 'slideMs' is 0 (at least 1 expected)",
        why("{\"batchTime\":1,\"windowMs\":1,\"slideMs\":0,\"top\":[],\"keys\":0,\"total\":0}"));
    assertEquals(
        "field 'top' is not an array",
        why("{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"top\":{},\"keys\":0,\"total\":0}"));
    assertEquals(
        "field 'count' is -3 (at least 0 expected)",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":\"a\",\"count\":-3}]}"));
    assertEquals(
        "field 'count' is not a whole number in range",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":\"a\",\"count\":1.5}]}"));
    assertEquals(
        "field 'total' is not a whole number in range",
        why("{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":1e30,\"top\":[]}"));
    assertEquals(
        "a row of 'top' has no keyword string",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":7,\"count\":1}]}"));
    assertEquals(
        "a keyword of 'top' is empty",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":\"\",\"count\":1}]}"));
    StringBuilder longWord = new StringBuilder();
    for (int i = 0; i <= RankingRecord.MAX_KEYWORD_CHARS; i++) {
      longWord.append('x');
    }
    assertEquals(
        "a keyword of 'top' is 501 characters long",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":\""
                + longWord
                + "\",\"count\":1}]}"));
    assertEquals(
        "field 'totals' is not an object",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,\"top\":[],"
                + "\"totals\":[1]}"));
    assertEquals(
        "keyword 'a' is twice in 'top'",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":0,"
                + "\"top\":[{\"keyword\":\"a\",\"count\":1},{\"keyword\":\"a\",\"count\":2}]}"));
    // A number too long to be a count is refused before it is converted...
    assertEquals(
        "field 'total' is not a whole number in range",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":"
                + "123456789012345678901234567890,\"top\":[]}"));
    // ...and one of 200,000 digits is not even read as a number.
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      digits.append('9');
    }
    assertEquals(
        "field 'total' is not a number",
        why(
            "{\"batchTime\":1,\"windowMs\":1,\"slideMs\":1,\"keys\":0,\"total\":"
                + digits
                + ",\"top\":[]}"));
    // Deeply nested, closed: read without exhausting the stack, then refused for what it is.
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      deep.append('[');
    }
    for (int i = 0; i < 100_000; i++) {
      deep.append(']');
    }
    assertEquals("not a JSON object", why(deep.toString()));
  }
}
