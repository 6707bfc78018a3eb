package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.trendline.common.StreamMessage.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The scanner is only a faster way to the same result: on every input, valid or not, a message
 * given as bytes parses to the same kind, problem, text and object as its decoded text does through
 * Gson's reader alone.
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
          + "\"verified\":false,\"followers_count\":-0,\"ratio\":1.5e-3,\"big\":9223372036854775808,"
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
    assertNotNull(scanned(STATUS), "a status is read by the scanner");
    assertNotNull(scanned(MESSAGES[2]));
    assertNotNull(scanned(MESSAGES[3]));
    // A notice's fields are kept whole: Gson reads it.
    assertNull(scanned(MESSAGES[5]));

    StreamMessage m = StreamMessage.parse(utf8(STATUS), StreamMessage.DEFAULT_MAX_BYTES);
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
    // Gson's reader refuses a number of 1,024 characters or more, kept or skipped, and an
    // integer whose digits wrap its long to 0 before the last (1 and 64 zeros: "a leading zero").
    for (int digits : new int[] {19, 20, 64, 65, 66, 200, 1022, 1023, 1024, 1500}) {
      StringBuilder n = new StringBuilder("1");
      for (int i = 1; i < digits; i++) {
        n.append('0');
      }
      same("{\"id\":" + n + ",\"text\":\"t\"}");
      same("{\"id\":1,\"text\":\"t\",\"user\":{\"n\":[0." + n + "]}}");
      same("{\"id\":1,\"text\":\"t\",\"n\":1e" + n + "}");
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
      if (scanned(edited) != null) {
        scanned++;
      }
    }
    // Many edits leave valid JSON (inside strings, digits for digits): the scanner reads those.
    assertTrue(scanned > 2_000, "scanned " + scanned);
  }

  /** Random edits of the bytes, most of them breaking UTF-8: decoded, they parse alike too. */
  @Test
  void editedBytesParseAsTheirDecodedText() {
    Random random = new Random(1126);
    byte[] special = {
      (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc2, (byte) 0xdf, (byte) 0xe0, (byte) 0xed,
      (byte) 0xa0, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0x8f, (byte) 0x90, (byte) 0xf5,
      (byte) 0xff, '"', '\\', ' ', 0, 0x1f
    };
    String base = STATUS.replace("caf\\u00e9", "caf\u00e9 \u0939\u093f \ud83d\ude00");
    for (int i = 0; i < 20_000; i++) {
      byte[] m = utf8(i % 2 == 0 ? base : MESSAGES[random.nextInt(MESSAGES.length)]);
      for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
        int at = random.nextInt(m.length);
        if (random.nextBoolean()) {
          m[at] = special[random.nextInt(special.length)];
        } else {
          byte[] shorter = new byte[m.length - 1];
          System.arraycopy(m, 0, shorter, 0, at);
          System.arraycopy(m, at + 1, shorter, at, m.length - at - 1);
          m = shorter;
        }
      }
      sameBytes(m);
    }
  }

  @Test
  void utf8IsTakenExactlyAsJavasDecoderTakesIt() {
    int[][] sequences = {
      {0xc2, 0x80},
      {0xdf, 0xbf},
      {0xe0, 0xa0, 0x80},
      {0xed, 0x9f, 0xbf},
      {0xef, 0xbf, 0xbf},
      {0xf0, 0x90, 0x80, 0x80},
      {0xf4, 0x8f, 0xbf, 0xbf}, // the edges of well-formed UTF-8
      {0xc0, 0xaf},
      {0xc1, 0xbf},
      {0xe0, 0x80, 0x80},
      {0xe0, 0x9f, 0xbf}, // overlong
      {0xed, 0xa0, 0x80},
      {0xed, 0xbf, 0xbf}, // surrogates
      {0xf4, 0x90, 0x80, 0x80},
      {0xf5, 0x80, 0x80, 0x80},
      {0xff}, // past U+10FFFF
      {0x80},
      {0xbf},
      {0xe2, 0x82},
      {0xf0, 0x9f, 0x98},
      {0xc3, 0x41}, // cut or lone
    };
    int taken = 0;
    for (int[] sequence : sequences) {
      for (String where : new String[] {"text", "skipped"}) {
        byte[] head = utf8("{\"id\":1,\"" + where + "\":\"a");
        byte[] tail = utf8("\",\"text\":\"t\"}");
        byte[] m = new byte[head.length + sequence.length + tail.length];
        System.arraycopy(head, 0, m, 0, head.length);
        for (int i = 0; i < sequence.length; i++) {
          m[head.length + i] = (byte) sequence[i];
        }
        System.arraycopy(tail, 0, m, head.length + sequence.length, tail.length);
        sameBytes(m);
        if (MessageScanner.read(m, 0, m.length) != null) {
          taken++;
        }
      }
    }
    assertEquals(7 * 2, taken, "the well-formed ones, and only those, are read by the scanner");
  }

  @Test
  void aMessageOfBytesKeepsThemAndIsBoundedAsItsText() {
    byte[] b = utf8("  " + MESSAGES[1] + "\r\n");
    StreamMessage m = StreamMessage.parse(b, StreamMessage.DEFAULT_MAX_BYTES);
    assertEquals(MESSAGES[1], new String(m.utf8(), StandardCharsets.UTF_8));
    byte[] exact = utf8(MESSAGES[1]);
    assertSame(exact, StreamMessage.parse(exact, 100).utf8(), "nothing to trim: no copy");
    assertArrayEquals(exact, StreamMessage.trimmed(b));
    assertSame(exact, StreamMessage.trimmed(exact));
    assertArrayEquals(new byte[0], StreamMessage.trimmed(utf8(" \r\n")));
    // The bound counts the bytes received, white space included, as parse(String) counts.
    assertEquals(Kind.MALFORMED, StreamMessage.parse(b, b.length - 1).kind());
    assertEquals(Kind.STATUS, StreamMessage.parse(b, b.length).kind());
    assertEquals(Kind.MALFORMED, StreamMessage.parse((byte[]) null, 10).kind());
  }

  private static JsonObject scanned(String message) {
    byte[] b = utf8(message.trim());
    return MessageScanner.read(b, 0, b.length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void same(String raw) {
    sameBytes(utf8(raw));
  }

  private static void sameBytes(byte[] raw) {
    String text = new String(raw, StandardCharsets.UTF_8);
    StreamMessage fast = StreamMessage.parse(raw, StreamMessage.DEFAULT_MAX_BYTES);
    StreamMessage gson = StreamMessage.parse(text, StreamMessage.DEFAULT_MAX_BYTES);
    assertEquals(gson.kind(), fast.kind(), text);
    assertEquals(gson.problem(), fast.problem(), text);
    assertEquals(gson.raw(), fast.raw(), text);
    assertArrayEquals(utf8(gson.raw()), fast.utf8(), text);
    assertEquals(gson.json(), fast.json(), text);
    assertEquals(String.valueOf(gson.json()), String.valueOf(fast.json()), text);
    if (fast.isStatus()) {
      assertEquals(gson.status().id(), fast.status().id(), text);
      assertEquals(gson.status().fullText(), fast.status().fullText(), text);
      assertEquals(gson.status().timestampMs(), fast.status().timestampMs(), text);
    }
  }
}
