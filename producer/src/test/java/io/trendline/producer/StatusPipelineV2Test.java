package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class StatusPipelineV2Test {
  private static final KeywordList KEYWORDS = KeywordList.parse("ferry,lamp lit");

  /** Rule 101 is ferry's, 102 lamp lit's; 900 is another app's. */
  private static RulesSync.RuleMap rules() {
    RulesSync.RuleMap map = new RulesSync.RuleMap(KEYWORDS);
    map.put("101", KEYWORDS.get(0));
    map.put("102", KEYWORDS.get(1));
    return map;
  }

  static String post(String id, String text, String rules) {
    return "{\"data\":{\"id\":\""
        + id
        + "\",\"text\":\""
        + text
        + "\"},\"matching_rules\":["
        + rules
        + "]}";
  }

  /** Lines from a list. */
  static final class Source extends StatusPipelineTest.ListSource {
    Source(String... messages) {
      super(messages);
    }
  }

  private static MockProducer<String, byte[]> producer() {
    return new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
  }

  private static StatusPipeline pipeline(
      Source source, MockProducer<String, byte[]> producer, ProducerMetrics metrics) {
    return StatusPipeline.builder(source, new TrackMatcher(KEYWORDS), metrics)
        .producer(producer)
        .topic("tweets")
        .v2(rules())
        .build();
  }

  private static List<String> keys(MockProducer<String, byte[]> producer) {
    List<String> keys = new ArrayList<>();
    for (ProducerRecord<String, byte[]> r : producer.history()) {
      keys.add(r.key());
    }
    return keys;
  }

  @Test
  void aPostGoesOutUnderTheKeywordOfEachRuleItMatched() throws Exception {
    String both = post("1", "the lamp was lit on the ferry", "{\"id\":\"102\"},{\"id\":\"101\"}");
    String byTag = post("2", "ferry again", "{\"id\":\"555\",\"tag\":\"trendline:ferry\"}");
    String foreign = post("3", "nothing of ours", "{\"id\":\"900\",\"tag\":\"other-app\"}");
    MockProducer<String, byte[]> producer = producer();
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    pipeline(new Source(both, byTag, foreign), producer, metrics).run();
    assertEquals(
        Arrays.asList("ferry", "lamp lit", "ferry"),
        keys(producer),
        "in configured order; a rule recreated elsewhere is still ours by its tag");
    assertEquals(
        both, StatusPipelineTest.text(producer.history().get(0).value()), "the line as received");
    assertEquals(3, metrics.statuses.get());
    assertEquals(1, metrics.unmatched.get(), "another app's post is none of ours");
    assertEquals(2, metrics.matched.get(0));
    assertEquals(1, metrics.matched.get(1));
    assertEquals(0, metrics.ruleMismatches.get());
  }

  @Test
  void postsWhereTheRulesAndTrackMatchingDisagreeAreCounted() throws Exception {
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    MockProducer<String, byte[]> producer = producer();
    pipeline(
            new Source(
                post("1", "the ferry", "{\"id\":\"102\"}"),
                post("2", "the ferry", "{\"id\":\"101\"}"),
                post("3", "lamp only", "{\"id\":\"102\"}")),
            producer,
            metrics)
        .run();
    assertEquals(2, metrics.ruleMismatches.get());
    assertEquals(
        Arrays.asList("lamp lit", "ferry", "lamp lit"),
        keys(producer),
        "X's matching decides; the track matcher only checks");
  }

  @Test
  void aPostReadTwiceIsDroppedByIdAndCounted() throws Exception {
    String p = post("7", "ferry", "{\"id\":\"101\"}");
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    MockProducer<String, byte[]> producer = producer();
    pipeline(new Source(p, post("8", "ferry", "{\"id\":\"101\"}"), p), producer, metrics).run();
    assertEquals(2, producer.history().size());
    assertEquals(1, metrics.duplicates.get());
    assertEquals(2, metrics.statuses.get());
  }

  @Test
  void anErrorObjectIsCountedAsANoticeAndTheRestAsMalformed() throws Exception {
    Source source =
        new Source(
            "{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":"
                + "\"OperationalDisconnect\"}]}",
            "{\"data\":{\"id\":\"1\",\"te",
            "{\"meta\":{}}",
            post("9", "ferry", "{\"id\":\"101\"}"));
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    MockProducer<String, byte[]> producer = producer();
    pipeline(source, producer, metrics).run();
    ProducerMetrics.Snapshot s = metrics.snapshot(0, 0, 0);
    assertEquals(4, s.messages);
    assertEquals(1, s.notices(), "the error object");
    assertEquals(1, s.kind(StreamMessage.Kind.MALFORMED));
    assertEquals(1, s.kind(StreamMessage.Kind.UNKNOWN));
    assertEquals(1, producer.history().size(), "the stream goes on after them");
  }

  @Test
  void theReportsSayWhatV2Adds() {
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    metrics.ruleMismatches.set(3);
    metrics.duplicates.set(2);
    ProducerMetrics.Snapshot s = metrics.snapshot(1, 0, 0);
    String line = ProgressReport.line(s, s, KEYWORDS);
    assertTrue(line.contains("| rules vs track 3 | duplicates 2"), line);
    String summary = ProgressReport.summary(s, KEYWORDS, 1, false);
    assertTrue(summary.contains("disagreed on the keywords: 3"), summary);
    assertTrue(summary.contains("read twice (backfill) and dropped: 2"), summary);
  }
}
