package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.common.Keyword;
import io.trendline.common.KeywordList;
import io.trendline.common.TrackMatcher;
import io.trendline.common.V2Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class V2PostTest {
  private static final String QUOTE_OF_A_RETWEETED_LONG_POST =
      "{\"created_at\":\"Sun Mar 25 15:00:01 +0000 2018\",\"id\":21,\"id_str\":\"21\","
          + "\"text\":\"RT @keeper: The lamp at the old lighthouse…\",\"lang\":\"en\","
          + "\"user\":{\"id_str\":\"1\",\"name\":\"Ann\",\"screen_name\":\"ann\"},"
          + "\"entities\":{\"hashtags\":[],\"user_mentions\":[{\"screen_name\":\"keeper\","
          + "\"indices\":[3,10]}]},"
          + "\"retweeted_status\":{\"created_at\":\"Sun Mar 25 14:00:00 +0000 2018\","
          + "\"id_str\":\"20\",\"text\":\"The lamp at the old lighthouse… https://t.co/m\","
          + "\"truncated\":true,\"user\":{\"id_str\":\"2\",\"name\":\"K\",\"screen_name\":"
          + "\"keeper\"},\"extended_tweet\":{\"full_text\":\"The lamp at the old lighthouse"
          + " was lit again tonight #Beacon\",\"entities\":{\"hashtags\":[{\"text\":\"Beacon\","
          + "\"indices\":[52,59]}],\"urls\":[{\"url\":\"https://t.co/q\",\"expanded_url\":"
          + "\"https://harbour.example/lamp\",\"display_url\":\"harbour.example/lamp\","
          + "\"indices\":[0,1]}]}},\"quoted_status\":{\"id_str\":\"19\",\"text\":\"ferry"
          + " news\",\"user\":{\"id_str\":\"3\",\"screen_name\":\"port\"}}}}";

  @Test
  void aV1StatusBecomesV2sShapeWithItsReferencedPostsAndUsersIncluded() {
    V2Post post = V2Post.of(QUOTE_OF_A_RETWEETED_LONG_POST);
    String line = post.json(Collections.singletonList(new String[] {"99", "trendline:lamp"}));
    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
    JsonObject data = o.getAsJsonObject("data");
    assertEquals("21", data.get("id").getAsString());
    assertEquals("RT @keeper: The lamp at the old lighthouse…", data.get("text").getAsString());
    assertEquals("2018-03-25T15:00:01.000Z", data.get("created_at").getAsString());
    assertEquals("1", data.get("author_id").getAsString());
    assertEquals("en", data.get("lang").getAsString());
    JsonObject mention =
        data.getAsJsonObject("entities").getAsJsonArray("mentions").get(0).getAsJsonObject();
    assertEquals("keeper", mention.get("username").getAsString());
    assertEquals(3, mention.get("start").getAsInt());
    assertEquals(10, mention.get("end").getAsInt());
    assertEquals(
        "[{\"type\":\"retweeted\",\"id\":\"20\"}]", data.get("referenced_tweets").toString());
    JsonObject original =
        o.getAsJsonObject("includes").getAsJsonArray("tweets").get(0).getAsJsonObject();
    assertEquals("20", original.get("id").getAsString());
    assertEquals(
        "The lamp at the old lighthouse was lit again tonight #Beacon",
        original.get("text").getAsString(),
        "v2's text is the whole text of a post up to 280 characters");
    assertEquals(
        "Beacon",
        original
            .getAsJsonObject("entities")
            .getAsJsonArray("hashtags")
            .get(0)
            .getAsJsonObject()
            .get("tag")
            .getAsString());
    assertEquals(
        "[{\"type\":\"quoted\",\"id\":\"19\"}]", original.get("referenced_tweets").toString());
    assertEquals(2, o.getAsJsonObject("includes").getAsJsonArray("tweets").size());
    assertEquals(3, o.getAsJsonObject("includes").getAsJsonArray("users").size());
    assertEquals(
        "[{\"id\":\"99\",\"tag\":\"trendline:lamp\"}]", o.get("matching_rules").toString());
  }

  @Test
  void aPostLongerThan280CharactersCarriesItsTextInNoteTweet() {
    StringBuilder text = new StringBuilder();
    while (text.length() < 300) {
      text.append("tide ");
    }
    text.append("lighthouse");
    V2Post post =
        V2Post.of(
            "{\"id_str\":\"5\",\"text\":\"tide tide…\",\"extended_tweet\":{\"full_text\":\""
                + text
                + "\"}}");
    JsonObject data =
        JsonParser.parseString(post.json(Collections.<String[]>emptyList()))
            .getAsJsonObject()
            .getAsJsonObject("data");
    assertEquals(280, data.get("text").getAsString().length());
    assertEquals(text.toString(), data.getAsJsonObject("note_tweet").get("text").getAsString());
  }

  /**
   * The producer's own matcher, reading the v2 line, sees what track matching saw in the v1.1
   * status: the same keywords match both.
   */
  @Test
  void theV2LineMatchesTheSameKeywordsAsTheV1Status() {
    TrackMatcher matcher =
        new TrackMatcher(
            KeywordList.parse("lighthouse,beacon,harbour,ferry,ann,keeper,lamp lit,tonight ferry"));
    String v1 = QUOTE_OF_A_RETWEETED_LONG_POST;
    List<String> fromV1 =
        terms(matcher.match(io.trendline.common.StreamMessage.parse(v1).status()));
    String v2 = V2Post.of(v1).json(Collections.<String[]>emptyList());
    List<String> fromV2 = terms(matcher.match(V2Message.parse(v2, 1 << 20).status()));
    assertEquals(
        Arrays.asList(
            "lighthouse", "beacon", "harbour", "ferry", "keeper", "lamp lit", "tonight ferry"),
        fromV1);
    assertEquals(fromV1, fromV2);
  }

  @Test
  void whatIsNotAStatusIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> V2Post.of("{\"delete\":{}}"));
    assertThrows(RuntimeException.class, () -> V2Post.of("{not json"));
  }

  @Test
  void createdAtIsConvertedOrLeftOut() {
    assertEquals("2018-05-14T21:39:05.000Z", V2Post.createdAt("Mon May 14 21:39:05 +0000 2018"));
    assertEquals(null, V2Post.createdAt("yesterday"));
    assertFalse(
        V2Post.of("{\"id_str\":\"1\",\"text\":\"t\",\"created_at\":\"x\"}")
            .json(Collections.<String[]>emptyList())
            .contains("created_at"));
    assertTrue(
        V2Post.of("{\"id_str\":\"1\",\"text\":\"t\"}")
            .json(Collections.<String[]>emptyList())
            .endsWith("\"matching_rules\":[]}"));
  }

  private static List<String> terms(List<Keyword> keywords) {
    List<String> out = new ArrayList<>();
    for (Keyword k : keywords) {
      out.add(k.term());
    }
    return out;
  }
}
