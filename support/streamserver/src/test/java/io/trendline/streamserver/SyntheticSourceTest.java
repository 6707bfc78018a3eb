package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticSourceTest {
  private static final Instant T0 = Instant.parse("2018-03-25T15:00:00Z");
  private static final KeywordList KEYWORDS =
      KeywordList.parse("bitcoin,IoT,5G,AI,machine learning");

  private static SyntheticSource source(MutableClock clock, long seed) {
    return SyntheticSource.builder(KEYWORDS).seed(seed).clock(clock).build();
  }

  @Test
  void everyStatusParsesAndMatchesExactlyTheKeywordsItClaims() {
    MutableClock clock = new MutableClock(T0);
    SyntheticSource source = source(clock, 42);
    TrackMatcher matcher = new TrackMatcher(KEYWORDS);
    Map<String, Integer> shapes = new HashMap<>();
    Map<Integer, Integer> byCount = new HashMap<>();
    Map<String, Integer> perKeyword = new HashMap<>();
    long bytes = 0;
    for (int i = 0; i < 3000; i++) {
      clock.advance(Duration.ofMillis(37));
      SyntheticSource.Generated g = source.generate();
      StreamMessage m = StreamMessage.parse(g.json());
      assertEquals(StreamMessage.Kind.STATUS, m.kind(), g.json());
      List<Keyword> matched = matcher.match(m.status());
      assertEquals(g.keywords(), matched, g.json());
      assertEquals(clock.millis(), m.status().timestampMs());
      shapes.merge(g.shape(), 1, Integer::sum);
      byCount.merge(g.keywords().size(), 1, Integer::sum);
      for (Keyword k : g.keywords()) {
        perKeyword.merge(k.term(), 1, Integer::sum);
      }
      bytes += g.json().getBytes(StandardCharsets.UTF_8).length;
    }
    for (String shape : new String[] {"plain", "extended", "retweet", "quote"}) {
      assertTrue(shapes.getOrDefault(shape, 0) > 100, shape + ": " + shapes);
    }
    assertTrue(byCount.get(0) > 300 && byCount.get(2) > 150, byCount.toString());
    assertEquals(KEYWORDS.size(), perKeyword.size(), perKeyword.toString());
    long mean = bytes / 3000;
    assertTrue(mean > 2000 && mean < 10000, "mean size " + mean);
  }

  @Test
  void statusesHaveTheV11Shape() {
    SyntheticSource source = source(new MutableClock(T0), 3);
    boolean sawTruncated = false;
    boolean sawRetweet = false;
    boolean sawQuote = false;
    boolean sawNonLatin = false;
    for (int i = 0; i < 500; i++) {
      // The whole object: StreamMessage keeps only what matching reads.
      JsonObject s = JsonParser.parseString(source.next()).getAsJsonObject();
      assertEquals(s.get("id").getAsString(), s.get("id_str").getAsString());
      assertTrue(
          s.get("created_at")
              .getAsString()
              .matches("\\w{3} \\w{3} \\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 \\d{4}"));
      String text = s.get("text").getAsString();
      assertTrue(text.codePointCount(0, text.length()) <= 140, text);
      JsonObject user = s.getAsJsonObject("user");
      for (String f :
          new String[] {
            "id_str", "screen_name", "followers_count", "created_at", "profile_image_url_https"
          }) {
        assertTrue(user.has(f), f);
      }
      JsonObject entities = s.getAsJsonObject("entities");
      for (String f : new String[] {"hashtags", "urls", "user_mentions", "symbols"}) {
        assertTrue(entities.get(f).isJsonArray(), f);
      }
      if (s.get("truncated").getAsBoolean()) {
        sawTruncated = true;
        String full = s.getAsJsonObject("extended_tweet").get("full_text").getAsString();
        assertTrue(full.codePointCount(0, full.length()) > 140, full);
      }
      sawRetweet |= s.has("retweeted_status");
      sawQuote |= s.has("quoted_status") && s.get("is_quote_status").getAsBoolean();
      sawNonLatin |=
          text.codePoints()
              .anyMatch(
                  c ->
                      Character.UnicodeScript.of(c) == Character.UnicodeScript.ARABIC
                          || Character.UnicodeScript.of(c) == Character.UnicodeScript.HIRAGANA);
    }
    assertTrue(sawTruncated && sawRetweet && sawQuote && sawNonLatin);
  }

  @Test
  void sameSeedAndClockGiveTheSameStatuses() {
    SyntheticSource a = source(new MutableClock(T0), 9);
    SyntheticSource b = source(new MutableClock(T0), 9);
    SyntheticSource c = source(new MutableClock(T0), 10);
    for (int i = 0; i < 50; i++) {
      String sa = a.next();
      assertEquals(sa, b.next());
      assertNotEquals(sa, c.next());
    }
  }

  @Test
  void nearMissesMatchNoKeyword() {
    SyntheticSource source = source(new MutableClock(T0), 1);
    TrackMatcher matcher = new TrackMatcher(KEYWORDS);
    List<String> nearMisses = source.nearMisses();
    assertTrue(nearMisses.contains("idiot"), nearMisses.toString());
    assertTrue(nearMisses.contains("5GHz"), nearMisses.toString());
    for (String nm : nearMisses) {
      assertTrue(matcher.matchText(nm).isEmpty(), nm);
    }
  }

  @Test
  void popularityRankingDriftsOverMinutes() {
    MutableClock clock = new MutableClock(T0);
    SyntheticSource source = source(clock, 5);
    // Two moments, minutes apart, at which different keywords clearly lead.
    Instant first = null;
    Instant second = null;
    for (int minute = 0; minute <= 15 && second == null; minute++) {
      Instant t = T0.plus(Duration.ofMinutes(minute));
      if (!clearLead(source, t)) {
        continue;
      }
      if (first == null) {
        first = t;
      } else if (!source.rankingAt(t).get(0).equals(source.rankingAt(first).get(0))) {
        second = t;
      }
    }
    assertTrue(second != null, "the leader never changed in 15 minutes");
    assertEquals(source.rankingAt(first).get(0), mostFrequent(source, clock, first));
    assertEquals(source.rankingAt(second).get(0), mostFrequent(source, clock, second));
  }

  private static boolean clearLead(SyntheticSource source, Instant t) {
    double[] w = source.weightsAt(t.toEpochMilli()).clone();
    java.util.Arrays.sort(w);
    return w[w.length - 1] > 1.5 * w[w.length - 2];
  }

  private static String mostFrequent(SyntheticSource source, MutableClock clock, Instant at) {
    clock.set(at);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      for (Keyword k : source.generate().keywords()) {
        counts.merge(k.term(), 1, Integer::sum);
      }
    }
    String best = null;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (best == null || e.getValue() > counts.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  @Test
  void aStatusMatchingNothingIsStillAStatus() {
    SyntheticSource source =
        SyntheticSource.builder(KeywordList.parse("bitcoin"))
            .noMatchShare(1)
            .twoKeywordShare(0)
            .clock(new MutableClock(T0))
            .build();
    TrackMatcher matcher = new TrackMatcher(KeywordList.parse("bitcoin"));
    for (int i = 0; i < 200; i++) {
      SyntheticSource.Generated g = source.generate();
      assertTrue(g.keywords().isEmpty());
      assertFalse(!matcher.match(StreamMessage.parse(g.json()).status()).isEmpty(), g.json());
    }
  }
}
