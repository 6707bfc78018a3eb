package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RuleTest {
  /** A v1.1 status: a text, a hashtag, a cashtag, a mention, a URL; English; by "skipper". */
  private static final V2Post POST =
      V2Post.of(
          "{\"id_str\":\"10\",\"text\":\"Coca-Cola on the ferry to #Skye with @harbour $KO"
              + " https://t.co/a\",\"lang\":\"en\",\"user\":{\"id_str\":\"7\","
              + "\"screen_name\":\"Skipper\"},\"entities\":{\"hashtags\":[{\"text\":\"Skye\","
              + "\"indices\":[26,31]}],\"symbols\":[{\"text\":\"KO\"}],\"user_mentions\":["
              + "{\"screen_name\":\"harbour\",\"id_str\":\"8\"}],\"urls\":[{\"url\":"
              + "\"https://t.co/a\",\"expanded_url\":\"https://tides.example/oban\"}]}}");

  private static final V2Post RETWEET =
      V2Post.of(
          "{\"id_str\":\"12\",\"text\":\"RT @sailor: a light…\",\"retweeted_status\":{"
              + "\"id_str\":\"11\",\"text\":\"a lighthouse at dawn\"}}");

  private static boolean matches(String rule, V2Post post) throws Rule.Invalid {
    return Rule.parse(rule, 1024).matches(post);
  }

  private static String refusal(String rule) {
    return assertThrows(Rule.Invalid.class, () -> Rule.parse(rule, 1024), rule).getMessage();
  }

  @Test
  void wordsAreTokensInAnyOrderAndCaseInsensitive() throws Rule.Invalid {
    assertTrue(matches("ferry", POST));
    assertTrue(matches("FERRY skye", POST), "space is AND, any order");
    assertTrue(matches("skye ferry", POST));
    assertFalse(matches("ferry boat", POST));
    assertTrue(matches("ferry OR boat", POST));
    assertTrue(matches("cola", POST), "Coca-Cola is split at the hyphen");
    assertTrue(matches("coca-cola", POST), "a hyphenated keyword is its words in order");
    assertFalse(matches("cola-coca", POST));
    assertFalse(matches("oban", POST), "a keyword does not look into expanded URLs");
    assertTrue(matches("url:oban", POST));
    assertTrue(matches("url:\"tides.example\"", POST));
    assertTrue(matches("lighthouse", RETWEET), "a retweet matches through its original");
  }

  @Test
  void phrasesEntitiesAndOperators() throws Rule.Invalid {
    assertTrue(matches("\"on the ferry\"", POST));
    assertFalse(matches("\"the on ferry\"", POST), "an exact phrase keeps its order");
    assertTrue(matches("#skye", POST));
    assertFalse(matches("#ferry", POST), "# is the hashtag, not the word");
    assertTrue(matches("$ko", POST));
    assertTrue(matches("@Harbour", POST));
    assertTrue(matches("from:skipper ferry", POST));
    assertTrue(matches("ferry lang:en", POST));
    assertFalse(matches("ferry lang:fr", POST));
    assertTrue(matches("ferry -boat", POST));
    assertFalse(matches("ferry -skye", POST));
    assertTrue(matches("lighthouse is:retweet", RETWEET));
    assertFalse(matches("ferry is:retweet", POST));
    assertTrue(matches("ferry has:links has:mentions", POST));
    assertTrue(matches("(boat OR ferry) (skye OR mull)", POST));
    assertTrue(matches("boat OR ferry skye", POST), "AND binds before OR");
    assertFalse(matches("boat OR ferry mull", POST));
  }

  @Test
  void rulesXWouldRefuseAreRefusedWithItsReasons() throws Rule.Invalid {
    assertEquals("Rules must contain a non-empty value.", refusal("  "));
    assertTrue(refusal("-ferry").contains("non-negation term"));
    assertTrue(refusal("-ferry -boat").contains("non-negation term"));
    assertTrue(refusal("lang:en").contains("non-stand-alone"));
    assertTrue(refusal("has:links OR is:retweet").contains("non-stand-alone"));
    assertTrue(refusal("ferry OR lang:en").contains("non-stand-alone"));
    assertTrue(refusal("(ferry").contains("unbalanced parentheses"));
    assertTrue(refusal("ferry)").contains("unbalanced parentheses"));
    assertTrue(refusal("()").contains("unbalanced parentheses"));
    assertTrue(refusal("\"ferry").contains("unbalanced quotes"));
    assertTrue(refusal("OR ferry").contains("OR"));
    assertTrue(refusal("ferry OR").contains("OR"));
    assertTrue(refusal("ferry -(a b)").contains("group cannot be negated"));
    assertTrue(refusal("place:oban ferry").contains("invalid operator 'place:'"));
    assertTrue(refusal("is:boat ferry").contains("invalid operator 'is:boat'"));
    assertTrue(refusal("# ferry").contains("followed by a name"));
    assertTrue(refusal("--ferry boat").contains("negated once"));
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      deep.append('(');
    }
    deep.append("ferry");
    for (int i = 0; i < 30; i++) {
      deep.append(')');
    }
    assertTrue(refusal(deep.toString()).contains("nested more than"));
    Rule.Invalid tooLong =
        assertThrows(Rule.Invalid.class, () -> Rule.parse("ferry boat skye", 10));
    assertEquals("rule-length", tooLong.type);
    assertEquals(
        "invalid-rules", assertThrows(Rule.Invalid.class, () -> Rule.parse("-a", 10)).type);
    assertEquals(
        "ferry", Rule.parse("ferry", 5).value(), "a rule exactly at the limit is accepted");
  }

  @Test
  void lowerCaseOrIsAWord() throws Rule.Invalid {
    assertFalse(matches("ferry or boat", POST), "only OR in capitals is the operator");
  }
}
