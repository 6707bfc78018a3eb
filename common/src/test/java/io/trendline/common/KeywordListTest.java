package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordListTest {
  @Test
  void parsesTrimsAndKeepsTheConfiguredSpelling() {
    KeywordList list = KeywordList.parse(" bitcoin , IoT,smart city ,5G");
    assertEquals(Arrays.asList("bitcoin", "IoT", "smart city", "5G"), list.terms());
    assertEquals(Arrays.asList("iot"), list.get(1).words());
    assertEquals(Arrays.asList("smart", "city"), list.get(2).words());
    assertEquals("bitcoin,IoT,smart city,5G", list.trackParameter());
  }

  @Test
  void rejectsEmptyTermsAndLists() {
    assertThrows(IllegalArgumentException.class, () -> KeywordList.parse(""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeywordList.parse("a,,b"));
    assertTrue(e.getMessage().contains("keyword 2"), e.getMessage());
  }

  @Test
  void rejectsTermsOverSixtyBytesCountingUtf8() {
    String sixty = new String(new char[60]).replace('\0', 'a');
    KeywordList.parse(sixty);
    assertThrows(IllegalArgumentException.class, () -> KeywordList.parse(sixty + "a"));
    // 21 Cyrillic letters are 42 chars of UTF-8... 31 of them are 62 bytes.
    String cyrillic = new String(new char[31]).replace('\0', 'ж');
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeywordList.parse(cyrillic));
    assertTrue(e.getMessage().contains("62 bytes"), e.getMessage());
  }

  @Test
  void rejectsMoreThanFourHundredTerms() {
    List<String> terms = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      terms.add("k" + i);
    }
    assertEquals(400, KeywordList.of(terms).size());
    terms.add("one-too-many");
    assertThrows(IllegalArgumentException.class, () -> KeywordList.of(terms));
  }

  @Test
  void rejectsDuplicatesAndTermsWithoutLetters() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> KeywordList.parse("Bitcoin,bitcoin"));
    assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeywordList.parse("#!?"));
    assertThrows(IllegalArgumentException.class, () -> KeywordList.parse("🚀"));
  }
}
