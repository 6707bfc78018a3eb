package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.KeywordList;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class StatusPipelineTest {
  static final String BITCOIN = status(1, "Bitcoin is up");
  static final String BOTH = status(2, "#IoT meets bitcoin");
  static final String NONE = status(3, "nothing to see, idiot");
  static final String LIMIT = "{\"limit\":{\"track\":17,\"timestamp_ms\":\"1\"}}";
  static final String DELETE = "{\"delete\":{\"status\":{\"id\":1,\"user_id\":2}}}";
  static final String BROKEN = "{\"id\":4,\"text\":\"cut";

  static String status(long id, String text) {
    return "{\"id\":" + id + ",\"id_str\":\"" + id + "\",\"text\":\"" + text + "\"}";
  }

  /** Messages from a list; finished when empty. */
  static class ListSource implements MessageSource {
    final Deque<String> messages;
    boolean stopped;

    ListSource(String... messages) {
      this.messages = new ArrayDeque<>(Arrays.asList(messages));
    }

    @Override
    public void start() {}

    @Override
    public byte[] poll(long timeout, TimeUnit unit) {
      String m = messages.poll();
      return m == null ? null : m.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isFinished() {
      return messages.isEmpty();
    }

    @Override
    public void stop() {
      stopped = true;
    }

    @Override
    public long dropped() {
      return 0;
    }

    @Override
    public int queueDepth() {
      return messages.size();
    }

    @Override
    public void close() {}
  }

  private static final KeywordList KEYWORDS = KeywordList.parse("bitcoin,IoT");

  static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private static StatusPipeline pipeline(
      MessageSource source,
      MockProducer<String, byte[]> producer,
      String unmatchedKey,
      ProducerMetrics metrics) {
    return StatusPipeline.builder(source, new TrackMatcher(KEYWORDS), metrics)
        .producer(producer)
        .topic("tweets")
        .unmatchedKey(unmatchedKey)
        .build();
  }

  private static List<String> keys(MockProducer<String, byte[]> producer) {
    List<String> keys = new ArrayList<>();
    for (ProducerRecord<String, byte[]> r : producer.history()) {
      assertEquals("tweets", r.topic());
      keys.add(r.key());
    }
    return keys;
  }

  @Test
  void oneRecordPerMatchedKeywordKeyedAsConfiguredValueAsReceived() throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    pipeline(new ListSource(BITCOIN + "\r\n", BOTH, NONE), producer, null, metrics).run();

    assertEquals(Arrays.asList("bitcoin", "bitcoin", "IoT"), keys(producer));
    assertEquals(BITCOIN, text(producer.history().get(0).value()));
    assertEquals(BOTH, text(producer.history().get(1).value()));
    assertEquals(BOTH, text(producer.history().get(2).value()));
    assertEquals(3, metrics.statuses.get());
    assertEquals(1, metrics.unmatched.get());
    assertEquals(2, metrics.matched.get(0));
    assertEquals(1, metrics.matched.get(1));
    assertEquals(3, metrics.sent.get());
    assertEquals(3, metrics.acked.get());
    assertEquals(0, metrics.failed.get());
  }

  @Test
  void theValueIsTheBytesReceivedTrimmedOneArrayForAllItsRecords() throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    StatusPipeline p = pipeline(new ListSource(), producer, null, new ProducerMetrics(KEYWORDS));
    String both = status(7, "caf\u00e9 \ud83d\ude00 bitcoin IoT");
    byte[] received = (" \t" + both + "\r\n").getBytes(StandardCharsets.UTF_8);
    p.handle(received);
    assertEquals(2, producer.history().size());
    byte[] value = producer.history().get(0).value();
    assertArrayEquals(both.getBytes(StandardCharsets.UTF_8), value);
    assertSame(value, producer.history().get(1).value(), "encoded once, sent twice");

    // Already trimmed: the array received is the value itself.
    byte[] exact = status(8, "bitcoin").getBytes(StandardCharsets.UTF_8);
    p.handle(exact);
    assertSame(exact, producer.history().get(2).value());

    // Bytes that are not UTF-8 are sent as the text that was parsed (U+FFFD in their place).
    byte[] prefix = "{\"id\":9,\"text\":\"bitcoin ".getBytes(StandardCharsets.UTF_8);
    byte[] bad = Arrays.copyOf(prefix, prefix.length + 3);
    bad[prefix.length] = (byte) 0xC3; // a lead byte without its continuation
    bad[prefix.length + 1] = '"';
    bad[prefix.length + 2] = '}';
    p.handle(bad);
    assertEquals("{\"id\":9,\"text\":\"bitcoin \uFFFD\"}", text(producer.history().get(3).value()));
  }

  @Test
  void unmatchedStatusesGoUnderTheirKeyWhenOneIsSet() throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    pipeline(new ListSource(NONE, BITCOIN), producer, "_none", new ProducerMetrics(KEYWORDS)).run();
    assertEquals(Arrays.asList("_none", "bitcoin"), keys(producer));
  }

  @Test
  void noticesAndMalformedInputAreCountedNotSent() throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    pipeline(
            new ListSource(LIMIT, DELETE, BROKEN, "[]", "{\"friends\":[]}", BITCOIN),
            producer,
            null,
            metrics)
        .run();
    assertEquals(Arrays.asList("bitcoin"), keys(producer));
    ProducerMetrics.Snapshot s = metrics.snapshot(0, 0, 0);
    assertEquals(6, s.messages);
    assertEquals(2, s.notices());
    assertEquals(17, s.limitUndelivered);
    assertEquals(2, s.kind(io.trendline.common.StreamMessage.Kind.MALFORMED));
    assertEquals(1, s.kind(io.trendline.common.StreamMessage.Kind.UNKNOWN));
  }

  @Test
  void failedSendsAreCountedAndTheRestStillSent() throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(false, new StringSerializer(), new ByteArraySerializer());
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    StatusPipeline p = pipeline(new ListSource(BITCOIN, BOTH), producer, null, metrics);
    for (String m : new String[] {BITCOIN, BOTH}) {
      p.handle(m.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(producer.errorNext(new RuntimeException("broker gone")));
    assertTrue(producer.completeNext());
    assertTrue(producer.completeNext());
    assertEquals(3, metrics.sent.get());
    assertEquals(2, metrics.acked.get());
    assertEquals(1, metrics.failed.get());
  }

  @Test
  void aDryRunSendsNothingButCounts() throws Exception {
    ProducerMetrics metrics = new ProducerMetrics(KEYWORDS);
    StatusPipeline.builder(new ListSource(BITCOIN, BOTH, NONE), new TrackMatcher(KEYWORDS), metrics)
        .build()
        .run();
    assertEquals(2, metrics.matched.get(0));
    assertEquals(0, metrics.sent.get());
  }

  @Test
  void stopLetsRunDrainWhatTheSourceHolds() throws Exception {
    MockProducer<String, byte[]> producer =
        new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
    ListSource source = new ListSource(BITCOIN, BOTH);
    StatusPipeline p = pipeline(source, producer, null, new ProducerMetrics(KEYWORDS));
    p.stop();
    assertTrue(source.stopped);
    p.run();
    assertEquals(3, producer.history().size());
  }

  @Test
  void theBuilderHasTheSettingsDefaultsAndRefusesOptionsOutOfRange() {
    ProducerSettings defaults = ProducerSettings.of(Collections.singletonMap("keywords", "x"));
    assertEquals(defaults.topic(), StatusPipeline.DEFAULT_TOPIC);
    assertEquals(defaults.logMalformed(), StatusPipeline.DEFAULT_LOG_MALFORMED);
    assertEquals(defaults.maxMessageBytes(), StreamMessage.DEFAULT_MAX_BYTES);

    StatusPipeline.Builder b =
        StatusPipeline.builder(
            new ListSource(), new TrackMatcher(KEYWORDS), new ProducerMetrics(KEYWORDS));
    assertEquals(
        "maxMessageBytes must be at least 1: 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxMessageBytes(0).build())
            .getMessage());
    b.maxMessageBytes(1024);
    assertThrows(IllegalArgumentException.class, () -> b.logMalformed(-1).build());
    b.logMalformed(0);
    assertThrows(IllegalArgumentException.class, () -> b.topic("").build());
    b.topic("t");
    assertThrows(IllegalArgumentException.class, () -> b.unmatchedKey("").build());
    b.unmatchedKey(null).build();
  }
}
