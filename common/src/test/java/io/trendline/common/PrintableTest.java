package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void plainTextIncludingOtherScriptsAndEmojiPrintsAsItself() {
    assertEquals("IoT", Printable.keyword("IoT"));
    assertEquals("दूरस्थ 日本 😀 Bitcoin's", Printable.keyword("दूरस्थ 日本 😀 Bitcoin's"));
    assertEquals("null", Printable.keyword(null));
  }

  @Test
  void aKeyCannotForgeLinesOrReachTheTerminalWithEscapeSequences() {
    String forged = "IoT     5\n  2    bitcoin 999\r\u001b[2J\u001b]0;owned\u0007";
    String shown = Printable.of(forged, 1000);
    assertEquals("IoT     5\\n  2    bitcoin 999\\r\\u001b[2J\\u001b]0;owned\\u0007", shown);
    for (char c : shown.toCharArray()) {
      assertTrue(c >= 0x20 && c != 0x7f, "no control character left: " + (int) c);
    }
    assertEquals(
        "a\\tb\\u007f\\u0085\\u2028\\u202e", Printable.of("a\tb\u007f\u0085\u2028\u202e", 99));
    assertEquals(
        "a\\\\nb", Printable.of("a\\nb", 99), "a backslash is doubled, so it is unambiguous");
  }

  @Test
  void longTextIsCutToTheBoundWithAnEllipsis() {
    String huge = String.join("", Collections.nCopies(100_000, "x"));
    String shown = Printable.keyword(huge);
    assertEquals(Printable.KEYWORD_CHARS, shown.codePointCount(0, shown.length()));
    assertTrue(shown.endsWith("…"));
    String exact = String.join("", Collections.nCopies(Printable.KEYWORD_CHARS, "y"));
    assertEquals(exact, Printable.keyword(exact), "a text of exactly the bound is not cut");
    assertEquals("ab…", Printable.of("abcd", 3));
    assertEquals("a…", Printable.of("a\nb", 3), "an escape is not split");
    String emoji = Printable.of("😀😀😀😀", 3);
    assertEquals("😀😀…", emoji, "code points, never half a surrogate pair");
    assertFalse(Printable.of("\u001b\u001b\u001b", 8).contains("\u001b"));
  }

  @Test
  void theBoundMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> Printable.of("x", 0));
  }
}
