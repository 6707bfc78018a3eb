package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner is only a faster way to the same result: on every input, valid or not, a message
 * parses to the same kind, problem and object with it as with Gson's reader alone.
 */
class MessageScannerTest {
  /** A status with what the scanner keeps, skips and decodes, nested as the stream nests it. */
  private static final String STATUS =
      "{\"created_at\":\"Mon May 14 21:39:08 +0000 2018\",\"id\":996152000716693504,"
          + "\"id_str\":\"996152000716693504\",\"text\":\"RT @a: \\\"Putin\\\" \\u0026 Modi \\ud83d\\ude00"
          + " caf\\u00e9 \\/ line\\nnext\\ttab\",\"display_text_range\":[0,140],"
          + "\"source\":\"<a href=\\\"http://x\\\" rel=\\\"nofollow\\\">x</a>\","
          + "\"truncated\":true,\"in_reply_to_status_id\":null,"
          + "\"user\":{\"id\":12,\"name\":\"N \\u00e4me\",\"screen_name\":\"sn\",\"location\":null,"
          + "\"verified\":false,\"followers_count\":-0,\"ratio\":1.5e-3,\"big\":12345678901234567890,"
          + "\"neg\":-12.25E+2,\"nested\":[[],{},[{\"a\":[1,{\"b\":{}}]}]],\"empty\":\"\"},"
          + "\"geo\":null,\"coordinates\":{\"type\":\"Point\",\"coordinates\":[-75.1,40.2]},"
          + "\"extended_tweet\":{\"full_text\":\"Full \\u0023bitcoin text\","
          + "\"display_text_range\":[0,200],\"entities\":{\"hashtags\":[{\"text\":\"bitcoin\","
          + "\"indices\":[5,13]}],\"urls\":[],\"user_mentions\":[],\"symbols\":[{\"text\":\"BTC\","
          + "\"indices\":[1,4]}]}},"
          + "\"quoted_status\":{\"id\":1,\"text\":\"quoted\",\"entities\":{\"urls\":[{\"url\":\"u\","
          + "\"expanded_url\":\"https://example.com/a?b=c\",\"indices\":[0,1]}]},"
          + "\"retweeted_status\":{\"id_str\":\"2\",\"full_text\":\"deeper\"}},"
          + "\"retweet_count\":0,\"entities\":{\"hashtags\":[],\"urls\":[],"
          + "\"user_mentions\":[{\"screen_name\":\"a\",\"name\":\"A\",\"id\":3,\"indices\":[3,5]}],"
          + "\"symbols\":[]},\"favorited\":false,\"lang\":\"en\",\"timestamp_ms\":\"1526333948929\"}";

  private static final String[] MESSAGES = {
    STATUS,
    "{\"id\":1,\"text\":\"hi\"}",
    "{ \"id\" : 1 , \"text\" : \"spaced\" ,\r\n\t\"entities\" : { } }",
    "{\"id\":1,\"text\":\"dup\",\"text\":\"second wins\",\"entities\":{\"hashtags\":[]},"
        + "\"entities\":{\"hashtags\":[{\"text\":\"x\"}]}}",
    "{\"id\":1,\"text\":null,\"full_text\":true,\"entities\":[1,2],\"extended_tweet\":\"s\"}",
    "{\"limit\":{\"track\":1234,\"timestamp_ms\":\"1526333948929\"}}",
    "{\"delete\":{\"status\":{\"id\":1,\"user_id\":3}}}",
    "{\"friends\":[1,2]}",
    "{}",
  };

  @Test
  void theScannerTakesTheStreamsMessagesAndBuildsWhatGsonBuilds() {
    for (String m : MESSAGES) {
      same(m);
    }
    assertNotNull(MessageScanner.read(STATUS), "a status is read by the scanner");
    assertNotNull(MessageScanner.read(MESSAGES[2]));
    assertNotNull(MessageScanner.read(MESSAGES[3]));
    // A notice's fields are kept whole: Gson reads it.
    assertNull(MessageScanner.read(MESSAGES[5]));

    StreamMessage m = StreamMessage.parse(STATUS);
    assertEquals(
        "RT @a: \"Putin\" & Modi \ud83d\ude00 café / line\nnext\ttab",
        m.json().get("text").getAsString());
    assertTrue(!m.json().has("user") && !m.json().has("coordinates"), m.json().toString());
  }

  @Test
  void whatTheScannerDoesNotTakeGsonJudgesAlike() {
    String[] odd = {
      "{\"id\":1,\"text\":\"raw \u0001 control and \n newline\"}",
      "{\"id\":1,\"text\":\"single \\' quote escape\"}",
      "{\"id\":1,\"text\":\"bad \\x escape\"}",
      "{\"id\":1,\"text\":\"short \\u12\"}",
      "{\"id\":1,\"text\":\"hex \\u00G1\"}",
      "{\"id\":TRUE,\"text\":\"t\"}",
      "{\"id\":01,\"text\":\"t\"}",
      "{\"id\":1.,\"text\":\"t\"}",
      "{\"id\":-,\"text\":\"t\"}",
      "{\"id\":1,\"text\":\"t\",}",
      "{\"id\":1,\"text\":\"t\"} x",
      "{\"id\":1,\"text\":\"t\"}}",
      "{'id':1,\"text\":\"t\"}",
      "{id:1,\"text\":\"t\"}",
      "{\"id\":1 \"text\":\"t\"}",
      "{\"id\":1,\"user\":{\"a\":[1,2,]},\"text\":\"t\"}",
      "{\"id\":1,\"user\":{\"a\":[1,2}},\"text\":\"t\"}",
      "{\"id\":1,\"user\":{\"a\" 1},\"text\":\"t\"}",
      "{\"id\":1,\"user\":{\"a\":nul},\"text\":\"t\"}",
      "{\"id\":1,\"user\":{\"a\":NaN},\"text\":\"t\"}",
      "{\"id\":1,\"user\":[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]],\"text\":\"t\"}",
      "{\"id\":1,\"text\":\"t\"",
      "{\"id\":1,\"text\":\"unterminated}",
      "{\"id\":1,\"text\":\"t\\",
      "\ufeff{\"id\":1,\"text\":\"t\"}",
      "[{\"id\":1,\"text\":\"t\"}]",
      "\"just a string\"",
      "{\"id\":1e5,\"text\":\"t\",\"timestamp_ms\":-0.0E-0}",
      "{\"id\":-9223372036854775808,\"text\":\"t\",\"timestamp_ms\":9223372036854775808}",
    };
    for (String m : odd) {
      same(m);
    }
  }

  /** Random edits of real-shaped messages: whatever they become, both readers agree. */
  @Test
  void editedMessagesParseAlikeWithAndWithoutTheScanner() {
    Random random = new Random(20261126);
    String alphabet = "{}[]:,\"\\ \nu0123456789abcdefEe+-.tnrx/'\u00e9";
    int scanned = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder m = new StringBuilder(MESSAGES[random.nextInt(MESSAGES.length)]);
      for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
        int at = random.nextInt(m.length());
        switch (random.nextInt(4)) {
          case 0:
            m.deleteCharAt(at);
            break;
          case 1:
            m.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
            break;
          case 2:
            m.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            break;
          default:
            int to = Math.min(m.length(), at + 1 + random.nextInt(20));
            m.insert(at, m.substring(at, to));
        }
        if (m.length() == 0) {
          m.append('{');
        }
      }
      String edited = m.toString();
      same(edited);
      if (MessageScanner.read(edited.trim()) != null) {
        scanned++;
      }
    }
    // Many edits leave valid JSON (inside strings, digits for digits): the scanner reads those.
    assertTrue(scanned > 2_000, "scanned " + scanned);
  }

  private static void same(String raw) {
    StreamMessage fast = StreamMessage.parse(raw, StreamMessage.DEFAULT_MAX_BYTES, true);
    StreamMessage gson = StreamMessage.parse(raw, StreamMessage.DEFAULT_MAX_BYTES, false);
    assertEquals(gson.kind(), fast.kind(), raw);
    assertEquals(gson.problem(), fast.problem(), raw);
    assertEquals(gson.raw(), fast.raw(), raw);
    assertEquals(gson.json(), fast.json(), raw);
    assertEquals(String.valueOf(gson.json()), String.valueOf(fast.json()), raw);
    if (fast.isStatus()) {
      assertEquals(gson.status().id(), fast.status().id(), raw);
      assertEquals(gson.status().fullText(), fast.status().fullText(), raw);
      assertEquals(gson.status().timestampMs(), fast.status().timestampMs(), raw);
    }
  }
}
