package io.trendline.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.V2Message.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class V2MessageTest {
  private static final int MAX = 1 << 20;

  private static V2Message parse(String line) {
    return V2Message.parse(line, MAX);
  }

  private static List<String> matched(String keywords, String line) {
    List<String> terms = new ArrayList<>();
    for (Keyword k : new TrackMatcher(KeywordList.parse(keywords)).match(parse(line).status())) {
      terms.add(k.term());
    }
    return terms;
  }

  @Test
  void aPostCarriesItsIdAndTheTagsOfTheRulesItMatched() {
    V2Message m =
        parse(
            "{\"data\":{\"id\":\"1790000000000000001\",\"text\":\"kettles and #teapots\"},"
                + "\"matching_rules\":[{\"id\":\"17\",\"tag\":\"trendline:kettles\"},"
                + "{\"id\":\"18\"},{\"id\":\"19\",\"tag\":\"other-app\"}]}\r\n");
    assertEquals(Kind.POST, m.kind());
    assertEquals("1790000000000000001", m.postId());
    assertEquals(Arrays.asList("trendline:kettles", "other-app"), m.ruleTags(), "untagged skipped");
    List<String[]> rules = m.matchingRules();
    assertEquals(3, rules.size());
    assertEquals("17", rules.get(0)[0]);
    assertEquals("trendline:kettles", rules.get(0)[1]);
    assertEquals("18", rules.get(1)[0]);
    assertNull(rules.get(1)[1]);
    assertNull(m.problem());
  }

  @Test
  void matchingReadsTheLongTextTheEntitiesAndReferencedPosts() {
    // A long post: the text is cut, note_tweet holds all of it.
    assertEquals(
        Collections.singletonList("lighthouse"),
        matched(
            "lighthouse,ferry",
            "{\"data\":{\"id\":\"2\",\"text\":\"a long story about a…\","
                + "\"note_tweet\":{\"text\":\"a long story about a lighthouse keeper\"}}}"));
    // Hashtags, cashtags, mentions and expanded URLs, as track matched them.
    assertEquals(
        Arrays.asList("ferry", "kayak", "harbour", "canoe"),
        matched(
            "ferry,kayak,harbour,canoe",
            "{\"data\":{\"id\":\"3\",\"text\":\"look https://t.co/x\",\"entities\":{"
                + "\"hashtags\":[{\"start\":0,\"end\":6,\"tag\":\"Ferry\"}],"
                + "\"cashtags\":[{\"tag\":\"KAYAK\"}],"
                + "\"mentions\":[{\"username\":\"harbour\",\"id\":\"9\"}],"
                + "\"urls\":[{\"url\":\"https://t.co/x\","
                + "\"expanded_url\":\"https://canoe.example/trips\"}]}}}"));
    // A retweet's own text is cut; the original, in includes.tweets, holds the match.
    String retweet =
        "{\"data\":{\"id\":\"5\",\"text\":\"RT @sailor: we crossed the…\","
            + "\"referenced_tweets\":[{\"type\":\"retweeted\",\"id\":\"4\"}]},"
            + "\"includes\":{\"tweets\":[{\"id\":\"4\","
            + "\"text\":\"we crossed the channel by ferry\"}]}}";
    assertEquals(Collections.singletonList("ferry"), matched("ferry", retweet));
    String quote =
        "{\"data\":{\"id\":\"6\",\"text\":\"so brave\","
            + "\"referenced_tweets\":[{\"type\":\"quoted\",\"id\":\"4\"},"
            + "{\"type\":\"replied_to\",\"id\":\"8\"}]},"
            + "\"includes\":{\"tweets\":[{\"id\":\"4\",\"text\":\"by ferry\"},"
            + "{\"id\":\"8\",\"text\":\"kayak\"}]}}";
    assertEquals(
        Collections.singletonList("ferry"),
        matched("ferry,kayak", quote),
        "a replied-to post is not part of the post, as in v1.1");
    // A referenced post missing from includes is simply not there.
    assertEquals(
        Collections.emptyList(),
        matched(
            "ferry",
            "{\"data\":{\"id\":\"7\",\"text\":\"RT @a: …\","
                + "\"referenced_tweets\":[{\"type\":\"retweeted\",\"id\":\"4\"}]}}"));
  }

  @Test
  void anErrorObjectSaysWhatEndedTheStream() {
    V2Message m =
        parse(
            "{\"errors\":[{\"title\":\"operational-disconnect\","
                + "\"disconnect_type\":\"UpstreamOperationalDisconnect\","
                + "\"detail\":\"This stream has been disconnected upstream for operational"
                + " reasons.\",\"type\":\"https://api.twitter.com/2/problems/"
                + "operational-disconnect\"}]}");
    assertEquals(Kind.ERROR, m.kind());
    assertEquals(
        "operational-disconnect [UpstreamOperationalDisconnect]: This stream has been"
            + " disconnected upstream for operational reasons.",
        m.errors());
    assertNull(m.postId());
    assertEquals(Collections.emptyList(), m.ruleTags());
    assertThrows(IllegalStateException.class, m::status);
  }

  @Test
  void aPostWithPartialErrorsIsStillAPost() {
    V2Message m =
        parse(
            "{\"data\":{\"id\":\"1\",\"text\":\"t\"},\"errors\":[{\"title\":\"Not Found Error\"}]}");
    assertEquals(Kind.POST, m.kind());
  }

  @Test
  void whatIsNotAPostOrAnErrorIsCountedNotThrown() {
    assertEquals(Kind.MALFORMED, parse("{\"data\":{\"id\":\"1\",\"te").kind());
    assertEquals(Kind.MALFORMED, parse("<html>oops</html>").kind());
    assertEquals(Kind.MALFORMED, parse("[1,2]").kind());
    assertEquals(Kind.MALFORMED, parse("{\"data\":{}} trailing").kind());
    assertEquals(Kind.MALFORMED, parse("{'data':1}").kind(), "strict JSON");
    assertEquals(Kind.MALFORMED, parse(null).kind());
    assertEquals(Kind.MALFORMED, parse("  ").kind());
    StringBuilder big = new StringBuilder("{\"data\":{\"id\":\"1\",\"text\":\"");
    while (big.length() < 5000) {
      big.append("ferry ");
    }
    big.append("\"}}");
    V2Message oversized = V2Message.parse(big.toString(), 4096);
    assertEquals(Kind.MALFORMED, oversized.kind());
    assertTrue(oversized.problem().contains("larger than 4096"), oversized.problem());
    assertEquals(Kind.UNKNOWN, parse("{\"data\":{\"id\":\"1\"}}").kind(), "a post has a text");
    assertEquals(Kind.UNKNOWN, parse("{\"data\":[1]}").kind());
    assertEquals(Kind.UNKNOWN, parse("{\"meta\":{\"sent\":\"x\"}}").kind());
    assertEquals(Kind.UNKNOWN, parse("{\"errors\":\"no\"}").kind());
  }

  @Test
  void oddFieldShapesInAPostAreIgnoredNotFatal() {
    V2Message m =
        parse(
            "{\"data\":{\"id\":\"1\",\"text\":\"ferry\",\"entities\":[],"
                + "\"note_tweet\":5,\"referenced_tweets\":{\"x\":1}},"
                + "\"includes\":[],\"matching_rules\":{\"id\":1}}");
    assertEquals(Kind.POST, m.kind());
    assertEquals(Collections.emptyList(), m.ruleTags());
    assertEquals(
        Collections.singletonList("ferry"),
        matched("ferry", m.raw()),
        "the text still matches when the rest is odd");
  }
}
