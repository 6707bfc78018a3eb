package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class TrackMatcherTest {
  private static List<String> match(String keywords, String text) {
    List<String> out = new ArrayList<>();
    for (Keyword k : new TrackMatcher(KeywordList.parse(keywords)).matchText(text)) {
      out.add(k.term());
    }
    return out;
  }

  private static List<String> matchStatus(String keywords, String json) {
    Status status = new Status(JsonParser.parseString(json).getAsJsonObject());
    List<String> out = new ArrayList<>();
    for (Keyword k : new TrackMatcher(KeywordList.parse(keywords)).match(status)) {
      out.add(k.term());
    }
    return out;
  }

  @Test
  void matchesWholeTokensCaseInsensitively() {
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "BITCOIN is up"));
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "Loving #Bitcoin today"));
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "Bitcoin's price"));
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "see bitcoin.org"));
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "cc @bitcoin."));
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "https://bitcoin.org/en/"));
  }

  @Test
  void doesNotMatchInsideOtherWords() {
    assertEquals(Arrays.asList(), match("IoT", "what an idiot"));
    assertEquals(Arrays.asList(), match("IoT", "buy $MIOTA now"));
    assertEquals(Arrays.asList(), match("5G", "my 5GHz wifi"));
    assertEquals(Arrays.asList(), match("twitter", "TwitterTracker and #newtwitter"));
    assertEquals(Arrays.asList("IoT"), match("IoT", "the #IoT revolution"));
    assertEquals(Arrays.asList("5G"), match("5G", "5G rollout, 5G!"));
  }

  @Test
  void phraseWordsMatchInAnyOrderAnywhere() {
    assertEquals(Arrays.asList("smart city"), match("smart city", "the city is getting smart"));
    assertEquals(Arrays.asList(), match("smart city", "a smart move"));
    assertEquals(Arrays.asList("smart city"), match("smart city", "#SmartCity? no: smart, city"));
  }

  @Test
  void severalKeywordsMatchInConfiguredOrder() {
    assertEquals(
        Arrays.asList("bitcoin", "blockchain"),
        match("bitcoin,IoT,blockchain", "Blockchain beyond #bitcoin"));
  }

  @Test
  void unicodeEmojiAndFullWidthForms() {
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "🚀🚀bitcoin🚀 to the moon"));
    assertEquals(Arrays.asList("bitcoin"), match("bitcoin", "ＢＩＴＣＯＩＮ"));
    assertEquals(Arrays.asList("мир"), match("мир", "Привет, МИР!"));
    // Devanagari vowel signs are combining marks: the word stays one token.
    assertEquals(Arrays.asList("मोदी"), match("मोदी", "प्रधानमंत्री मोदी ने कहा"));
    assertEquals(Arrays.asList(), match("मो", "प्रधानमंत्री मोदी ने कहा"));
    // A change of script is a token boundary, as in a real capture: "दूरस्थBTCप्रशिक्षण".
    assertEquals(Arrays.asList("btc"), match("btc", "सेवारत दूरस्थBTCप्रशिक्षण प्राप्त"));
    assertEquals(Arrays.asList(), match("btc", "दूरस्थBTCs"));
    // Digits belong to no script: they stay in the word around them.
    assertEquals(Arrays.asList(), match("5", "लगभग5जी"));
  }

  @Test
  void caseFoldingIgnoresTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(new Locale("tr", "TR"));
    try {
      // Under Turkish rules "I".toLowerCase() is a dotless i, and IoT would never match iot.
      assertEquals("ı", "I".toLowerCase());
      assertEquals(Arrays.asList("IoT"), match("IoT", "new iot devices"));
      assertEquals(Arrays.asList("ISTANBUL"), match("ISTANBUL", "istanbul"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void matchesThroughEntitiesRetweetsAndQuotes() {
    String retweet =
        "{\"id_str\":\"1\",\"text\":\"RT @someone: great news\",\"retweeted_status\":"
            + "{\"id_str\":\"2\",\"text\":\"great news\",\"truncated\":true,\"extended_tweet\":"
            + "{\"full_text\":\"great news about blockchain adoption\"}}}";
    assertEquals(Arrays.asList("blockchain"), matchStatus("blockchain", retweet));

    String quote =
        "{\"id_str\":\"1\",\"text\":\"so true\",\"quoted_status\":"
            + "{\"id_str\":\"2\",\"text\":\"IoT is everywhere\"}}";
    assertEquals(Arrays.asList("IoT"), matchStatus("IoT", quote));

    String entities =
        "{\"id_str\":\"1\",\"text\":\"look https://t.co/x\",\"entities\":{"
            + "\"hashtags\":[{\"text\":\"fiveG\"}],"
            + "\"user_mentions\":[{\"screen_name\":\"IoT_News\"}],"
            + "\"urls\":[{\"url\":\"https://t.co/x\",\"expanded_url\":\"https://bitcoin.org/a\"}],"
            + "\"symbols\":[{\"text\":\"BTC\"}]}}";
    assertEquals(
        Arrays.asList("bitcoin", "IoT", "btc"), matchStatus("bitcoin,IoT,btc,5G", entities));
  }

  @Test
  void phraseWordsMayComeFromDifferentFieldsOfOneStatus() {
    String json =
        "{\"id_str\":\"1\",\"text\":\"smart\",\"entities\":{\"hashtags\":[{\"text\":\"city\"}]}}";
    assertEquals(Arrays.asList("smart city"), matchStatus("smart city", json));
  }

  @Test
  void extendedTextReplacesTheTruncatedOne() {
    String json =
        "{\"id_str\":\"1\",\"text\":\"a long text that was cut…\",\"truncated\":true,"
            + "\"extended_tweet\":{\"full_text\":\"a long text that was cut here, then 5G\"}}";
    assertEquals(Arrays.asList("5G"), matchStatus("5G", json));
  }

  @Test
  void statusWithoutMatchableFieldsMatchesNothing() {
    assertTrue(matchStatus("bitcoin", "{\"id\":1,\"text\":null}").isEmpty());
    assertTrue(matchStatus("bitcoin", "{\"id\":1,\"text\":\"\",\"entities\":[]}").isEmpty());
  }

  /**
   * The matcher looks tokens up as ranges of the text, without strings: on random texts it matches
   * exactly what the tokens as strings say (every word of a keyword among them).
   */
  @Test
  void matchingByRangesAgreesWithTheTokensAsStrings() {
    String keywords =
        "bitcoin,IoT,5G,machine learning,caf\u00e9,\u0939\u093f\u0902\u0926\u0940,"
            + "a,b,c,d,e,f,g,h,ab,ba,abc,cab,x y,y z,\u0130stanbul,ﬁne,stra\u00dfe,k";
    KeywordList list = KeywordList.parse(keywords);
    TrackMatcher matcher = new TrackMatcher(list);
    String[] pieces = {
      "bitcoin",
      "BITCOIN",
      "#BitCoin",
      "bit coin",
      "IoT",
      "idiot",
      "5g",
      "5GHz",
      "Machine",
      "LEARNING",
      "café",
      "CAFÉ",
      "cafe\u0301",
      "\u0939\u093f\u0902\u0926\u0940",
      "A",
      "b",
      "C",
      "D.e",
      "F-G",
      "h",
      "AB",
      "BA",
      "Abc",
      "CAB",
      "X",
      "y",
      "Z",
      "İstanbul",
      "istanbul",
      "fine",
      "ﬁne",
      "FINE",
      "straße",
      "STRASSE",
      "K",
      "\u212a",
      "ｂｉｔｃｏｉｎ",
      "\ud83d\ude00",
      " ",
      ", ",
      "!",
      "@",
      "$",
      "\n"
    };
    java.util.Random random = new java.util.Random(26);
    for (int n = 0; n < 5_000; n++) {
      StringBuilder text = new StringBuilder();
      for (int p = random.nextInt(8); p >= 0; p--) {
        text.append(pieces[random.nextInt(pieces.length)]);
        if (random.nextInt(3) > 0) {
          text.append(' ');
        }
      }
      java.util.Set<String> tokens =
          new java.util.HashSet<>(Tokenizer.distinctTokens(text.toString()));
      List<Keyword> expected = new ArrayList<>();
      for (Keyword k : list) {
        if (tokens.containsAll(k.words())) {
          expected.add(k);
        }
      }
      assertEquals(expected, matcher.matchText(text.toString()), text.toString());
    }
  }
}
