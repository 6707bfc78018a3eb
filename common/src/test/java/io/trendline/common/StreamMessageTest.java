package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.StreamMessage.Kind;
import org.junit.jupiter.api.Test;

class StreamMessageTest {
  @Test
  void recognisesStatusesAndEveryNotice() {
    assertEquals(Kind.STATUS, StreamMessage.parse("{\"id_str\":\"1\",\"text\":\"hi\"}\r\n").kind());
    assertEquals(Kind.STATUS, StreamMessage.parse("{\"id\":1,\"full_text\":\"hi\"}").kind());
    assertEquals(
        Kind.DELETE,
        StreamMessage.parse("{\"delete\":{\"status\":{\"id\":1,\"user_id\":3}}}").kind());
    assertEquals(
        Kind.SCRUB_GEO,
        StreamMessage.parse("{\"scrub_geo\":{\"user_id\":1,\"up_to_status_id\":2}}").kind());
    assertEquals(
        Kind.LIMIT,
        StreamMessage.parse("{\"limit\":{\"track\":2,\"timestamp_ms\":\"1526333948929\"}}").kind());
    assertEquals(
        Kind.STATUS_WITHHELD,
        StreamMessage.parse("{\"status_withheld\":{\"id\":1,\"withheld_in_countries\":[]}}")
            .kind());
    assertEquals(
        Kind.USER_WITHHELD,
        StreamMessage.parse("{\"user_withheld\":{\"id\":1,\"withheld_in_countries\":[]}}").kind());
    assertEquals(
        Kind.DISCONNECT,
        StreamMessage.parse("{\"disconnect\":{\"code\":4,\"stream_name\":\"x\",\"reason\":\"y\"}}")
            .kind());
    assertEquals(
        Kind.WARNING,
        StreamMessage.parse(
                "{\"warning\":{\"code\":\"FALLING_BEHIND\",\"message\":\"m\",\"percent_full\":60}}")
            .kind());
    assertEquals(Kind.UNKNOWN, StreamMessage.parse("{\"friends\":[1,2]}").kind());
  }

  @Test
  void limitNoticeCarriesTheUndeliveredCount() {
    assertEquals(
        1234,
        StreamMessage.parse("{\"limit\":{\"track\":1234,\"timestamp_ms\":\"1\"}}")
            .limitUndelivered());
    assertEquals(-1, StreamMessage.parse("{\"limit\":{\"track\":\"x\"}}").limitUndelivered());
    assertEquals(-1, StreamMessage.parse("{\"limit\":5}").limitUndelivered());
    assertEquals(-1, StreamMessage.parse("{\"id\":1,\"text\":\"t\"}").limitUndelivered());
  }

  @Test
  void malformedInputIsClassifiedNeverThrown() {
    String[] bad = {
      "",
      "   \r\n",
      "not json",
      "{\"id_str\":\"1\",\"text\":\"cut",
      "[1,2]",
      "42",
      "null",
      "{\"a\":1}}"
    };
    for (String raw : bad) {
      StreamMessage m = StreamMessage.parse(raw);
      assertTrue(m.kind() == Kind.MALFORMED || m.kind() == Kind.UNKNOWN, raw + " gave " + m.kind());
    }
    assertEquals(Kind.MALFORMED, StreamMessage.parse(null).kind());
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      deep.append('[');
    }
    assertEquals(Kind.MALFORMED, StreamMessage.parse(deep.toString()).kind());
  }

  @Test
  void oversizedMessagesAreRejectedBeforeParsing() {
    StringBuilder big = new StringBuilder("{\"id\":1,\"text\":\"");
    while (big.length() < 5000) {
      big.append("ééééé");
    }
    big.append("\"}");
    StreamMessage m = StreamMessage.parse(big.toString(), 4096);
    assertEquals(Kind.MALFORMED, m.kind());
    assertTrue(m.problem().contains("larger than 4096"), m.problem());
    assertEquals(Kind.STATUS, StreamMessage.parse(big.toString(), 1 << 20).kind());
  }

  @Test
  void statusViewExposesIdTextAndTimestamp() {
    Status s =
        StreamMessage.parse(
                "{\"id\":99,\"text\":\"short…\",\"timestamp_ms\":\"1521990589602\","
                    + "\"extended_tweet\":{\"full_text\":\"short, then long\"}}")
            .status();
    assertEquals("99", s.id());
    assertEquals("short, then long", s.fullText());
    assertEquals(1521990589602L, s.timestampMs());
  }

  @Test
  void onlyWhatMatchingReadsIsBuiltButTheWholeMessageIsChecked() {
    String status =
        "{\"id_str\":\"7\",\"text\":\"plain\",\"user\":{\"name\":\"IoT fan\","
            + "\"entities\":{\"hashtags\":[{\"text\":\"IoT\"}]}},"
            + "\"entities\":{\"hashtags\":[{\"text\":\"bitcoin\",\"indices\":[0,8]}],"
            + "\"urls\":[{\"url\":\"https://t.co/x\",\"expanded_url\":\"https://5g.example\"}]},"
            + "\"quoted_status\":{\"text\":\"on blockchain\",\"user\":{\"id\":1}},"
            + "\"coordinates\":null,\"retweet_count\":3}";
    StreamMessage m = StreamMessage.parse(status);
    assertEquals(Kind.STATUS, m.kind());
    assertEquals(status, m.raw(), "the record's value is the message as received");
    // The user object is not matched (as at Twitter), so it is not built.
    assertTrue(!m.json().has("user") && !m.json().has("retweet_count"), m.json().toString());
    java.util.List<String> texts = new java.util.ArrayList<>();
    m.status().forEachMatchableText(texts::add);
    assertEquals(
        java.util.Arrays.asList("plain", "bitcoin", "https://5g.example", "on blockchain"), texts);
    // A syntax error in a skipped part still makes the message malformed.
    StreamMessage bad = StreamMessage.parse("{\"id\":1,\"text\":\"t\",\"user\":{\"name\":}");
    assertEquals(Kind.MALFORMED, bad.kind(), bad.toString());
    StreamMessage trailing = StreamMessage.parse("{\"id\":1,\"text\":\"t\"} {\"id\":2}");
    assertEquals(Kind.MALFORMED, trailing.kind(), trailing.toString());
    assertEquals(Kind.MALFORMED, StreamMessage.parse("[1,2]").kind());
    assertTrue(StreamMessage.parse("[1,2]").problem().contains("not a JSON object"));
  }

  @Test
  void onlyStrictJsonIsAccepted() {
    String[] notJson = {
      "{'id':1,'text':'bitcoin'}",
      "{\"id\":01x,\"text\":\"bitcoin\"}",
      "{\"id\":01,\"text\":\"bitcoin\"}",
      "{id:1,text:\"bitcoin\"}",
      "{\"id\":1,\"text\":bitcoin}",
      "{\"id\":NaN,\"text\":\"bitcoin\"}",
      "{\"id\":1,\"text\":\"bitcoin\",}",
      "{\"id\":1;\"text\":\"bitcoin\"}",
      "{\"id\":1,\"text\":\"bitcoin\",\"entities\":{\"hashtags\":[1,2,]}}"
    };
    assertEquals(
        "not JSON: malformed JSON at line 1 column 3 path $.",
        StreamMessage.parse(notJson[0]).problem(),
        "Gson's advice to its caller is not passed on");
    for (String raw : notJson) {
      StreamMessage m = StreamMessage.parse(raw);
      assertEquals(Kind.MALFORMED, m.kind(), raw);
      assertTrue(m.problem().startsWith("not JSON: "), m.problem());
      assertTrue(m.problem().contains(" at line 1 column "), m.problem());
    }
    assertEquals(Kind.STATUS, StreamMessage.parse("{\"id\":-0.5e3,\"text\":\"bitcoin\"}").kind());
  }
}
