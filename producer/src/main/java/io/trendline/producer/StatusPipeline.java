package io.trendline.producer;

import io.trendline.common.Keyword;
import io.trendline.common.StreamMessage;
import io.trendline.common.TrackMatcher;
import io.trendline.common.V2Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * source → classify → publish. Takes each message from a {@link MessageSource}, classifies it
 * ({@link StreamMessage}; for the X API v2, {@link V2Message} and the post's {@code
 * matching_rules}: see {@link Builder#v2}), decides which keywords a status matches ({@link
 * TrackMatcher}) and sends one record per matched keyword: key = the keyword as configured, value =
 * the status JSON as received. Unmatched statuses are counted and, when an unmatched key is set,
 * sent under it; notices are counted ({@code limit} notices' undelivered counts kept); malformed
 * and unknown messages are counted and the first few logged, truncated.
 *
 * <p>{@link #run()} runs on one thread until the source is finished, then flushes the producer;
 * {@link #stop()} may be called from any thread and makes {@code run} drain what the source already
 * holds and return. The pipeline does not close the producer or the source: whoever created them
 * does. A null producer is a dry run: nothing is sent.
 */
final class StatusPipeline {
  private static final Logger log = LoggerFactory.getLogger(StatusPipeline.class);
  private static final int TRUNCATE = 200;
  private static final int LOG_FAILURES = 5;

  /** The topic written to unless another is given; also {@link ProducerSettings}' default. */
  static final String DEFAULT_TOPIC = "tweets";

  /** Malformed messages logged unless told otherwise; also {@link ProducerSettings}' default. */
  static final int DEFAULT_LOG_MALFORMED = 5;

  private final MessageSource source;
  private final TrackMatcher matcher;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final String unmatchedKey;
  private final int maxMessageBytes;
  private final int logMalformed;
  private final ProducerMetrics metrics;
  private final AtomicInteger loggedFailures = new AtomicInteger();
  private final Callback ackCallback;
  private final Map<Keyword, Integer> keywordIndex = new IdentityHashMap<>();
  private long loggedMalformed;

  /** v2: which rules are which keywords; null for a v1 stream or a capture. */
  private final RulesSync.RuleMap rules;

  /** v2: ids of the posts read lately, oldest first, to drop a backfill's duplicates. */
  private final Map<String, Boolean> recentIds;

  private long loggedMismatches;

  /** How many post ids are remembered: five minutes of X's 250 posts/s, with room. */
  static final int RECENT_IDS = 100_000;

  private StatusPipeline(Builder b) {
    this.source = b.source;
    this.matcher = b.matcher;
    this.producer = b.producer;
    this.topic = b.topic;
    this.unmatchedKey = b.unmatchedKey;
    this.maxMessageBytes = b.maxMessageBytes;
    this.logMalformed = b.logMalformed;
    this.metrics = b.metrics;
    this.rules = b.rules;
    this.recentIds =
        new LinkedHashMap<String, Boolean>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_IDS;
          }
        };
    for (int i = 0; i < metrics.keywords.size(); i++) {
      keywordIndex.put(metrics.keywords.get(i), i);
    }
    this.ackCallback =
        (metadata, exception) -> {
          if (exception == null) {
            metrics.acked.incrementAndGet();
          } else {
            metrics.failed.incrementAndGet();
            if (loggedFailures.getAndIncrement() < LOG_FAILURES) {
              log.error("a record was not acknowledged by Kafka: {}", exception.toString());
            }
          }
        };
  }

  /**
   * Processes messages until the source is finished (exhausted, or stopped and drained), then
   * flushes the producer so every record sent is acknowledged or failed.
   *
   * @throws MessageSource.SourceFailedException when the source stopped on an error
   */
  void run() throws InterruptedException {
    try {
      while (true) {
        byte[] raw = source.poll(100, TimeUnit.MILLISECONDS);
        if (raw != null) {
          handle(raw);
        } else if (source.isFinished()) {
          break;
        }
      }
    } finally {
      if (producer != null) {
        producer.flush();
      }
    }
  }

  /** Stops taking new messages; {@link #run()} drains what is buffered and returns. */
  void stop() {
    source.stop();
  }

  MessageSource source() {
    return source;
  }

  /** The producer records go to; null in a dry run. */
  Producer<String, byte[]> producer() {
    return producer;
  }

  ProducerMetrics metrics() {
    return metrics;
  }

  /** One message as the source received it: its UTF-8 bytes. */
  void handle(byte[] received) {
    if (rules != null) {
      handleV2(received, new String(received, StandardCharsets.UTF_8));
      return;
    }
    metrics.messages.incrementAndGet();
    // Read from the bytes: only the strings matching needs are decoded.
    StreamMessage message = StreamMessage.parse(received, maxMessageBytes);
    metrics.byKind.incrementAndGet(message.kind().ordinal());
    switch (message.kind()) {
      case STATUS:
        publish(message);
        break;
      case LIMIT:
        long undelivered = message.limitUndelivered();
        if (undelivered >= 0) {
          metrics.limitUndelivered.set(undelivered);
        }
        break;
      case DISCONNECT:
      case WARNING:
        log.warn("stream notice: {}", truncate(message.raw()));
        break;
      case MALFORMED:
      case UNKNOWN:
        if (loggedMalformed++ < logMalformed) {
          log.warn("skipped a {} message: {}", message, truncate(message.raw()));
        }
        break;
      default:
        // delete, scrub_geo, withheld notices: counted, nothing to send
    }
  }

  private void publish(StreamMessage message) {
    metrics.statuses.incrementAndGet();
    List<Keyword> matched = matcher.match(message.status());
    if (matched.isEmpty()) {
      metrics.unmatched.incrementAndGet();
      if (unmatchedKey != null) {
        send(unmatchedKey, message.utf8());
      }
      return;
    }
    // The bytes received, trimmed (the text parsed, where they were not UTF-8): one array for all.
    byte[] value = message.utf8();
    for (Keyword keyword : matched) {
      metrics.matched.incrementAndGet(indexOf(keyword));
      send(keyword.term(), value);
    }
  }

  /**
   * A v2 record's value: the message as received, trimmed of surrounding white space, i.e. the
   * UTF-8 of {@code trimmed}; encoded from {@code trimmed} only when the bytes received were not
   * all UTF-8 (decoding replaced some with U+FFFD), so that a value is always the text that was
   * parsed (as {@link StreamMessage#utf8()} for v1.1).
   */
  static byte[] value(byte[] received, String decoded, String trimmed) {
    return decoded.indexOf('\uFFFD') >= 0
        ? trimmed.getBytes(StandardCharsets.UTF_8)
        : StreamMessage.trimmed(received);
  }

  /**
   * One line of the X API v2 filtered stream: a post goes out under each keyword whose rule it
   * matched (X's {@code matching_rules}), cross-checked with the track matcher; an error object (X
   * is ending the stream) makes the source reconnect; the rest is counted as for v1.1.
   */
  private void handleV2(byte[] received, String raw) {
    metrics.messages.incrementAndGet();
    V2Message message = V2Message.parse(raw, maxMessageBytes);
    switch (message.kind()) {
      case POST:
        metrics.byKind.incrementAndGet(StreamMessage.Kind.STATUS.ordinal());
        publishV2(message, received, raw);
        break;
      case ERROR:
        metrics.byKind.incrementAndGet(StreamMessage.Kind.DISCONNECT.ordinal());
        // X ends the stream after it (Hosebird then reconnects); should it not, the stall timeout
        // does. Asking Hosebird to reconnect here would drop the next connection instead.
        log.warn("stream error: {}", truncate(message.errors()));
        break;
      case MALFORMED:
      case UNKNOWN:
        metrics.byKind.incrementAndGet(
            (message.kind() == V2Message.Kind.MALFORMED
                    ? StreamMessage.Kind.MALFORMED
                    : StreamMessage.Kind.UNKNOWN)
                .ordinal());
        if (loggedMalformed++ < logMalformed) {
          log.warn("skipped a {} message: {}", message, truncate(raw.trim()));
        }
        break;
      default:
        throw new AssertionError(message.kind());
    }
  }

  private void publishV2(V2Message message, byte[] received, String raw) {
    if (recentIds.put(message.postId(), Boolean.TRUE) != null) {
      metrics.duplicates.incrementAndGet();
      return;
    }
    metrics.statuses.incrementAndGet();
    boolean[] byRules = new boolean[metrics.keywords.size()];
    for (String[] rule : message.matchingRules()) {
      Keyword k = rules.keyword(rule[0], rule[1]);
      if (k != null) {
        byRules[indexOf(k)] = true;
      }
    }
    boolean[] byTrack = new boolean[byRules.length];
    for (Keyword k : matcher.match(message.status())) {
      // A keyword whose rule X refused matches nothing on the stream: no disagreement there.
      byTrack[indexOf(k)] = rules.covers(k);
    }
    List<Keyword> matched = new ArrayList<>(2);
    boolean agree = true;
    for (int i = 0; i < byRules.length; i++) {
      agree &= byRules[i] == byTrack[i];
      if (byRules[i]) {
        matched.add(metrics.keywords.get(i));
      }
    }
    if (!agree) {
      metrics.ruleMismatches.incrementAndGet();
      if (loggedMismatches++ < LOG_FAILURES) {
        log.warn(
            "post {}: its rules say {}, track matching says {} (a rule that does not say what"
                + " its keyword means?)",
            message.postId(),
            terms(byRules),
            terms(byTrack));
      }
    }
    if (matched.isEmpty()) {
      metrics.unmatched.incrementAndGet();
      if (unmatchedKey != null) {
        send(unmatchedKey, value(received, raw, message.raw()));
      }
      return;
    }
    byte[] value = value(received, raw, message.raw());
    for (Keyword keyword : matched) {
      metrics.matched.incrementAndGet(indexOf(keyword));
      send(keyword.term(), value);
    }
  }

  private List<String> terms(boolean[] which) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < which.length; i++) {
      if (which[i]) {
        out.add(metrics.keywords.get(i).term());
      }
    }
    return out;
  }

  private int indexOf(Keyword keyword) {
    Integer index = keywordIndex.get(keyword);
    if (index == null) {
      throw new IllegalStateException("not a configured keyword: " + keyword);
    }
    return index;
  }

  private void send(String key, byte[] value) {
    if (producer == null) {
      return;
    }
    metrics.sent.incrementAndGet();
    try {
      producer.send(new ProducerRecord<>(topic, key, value), ackCallback);
    } catch (RuntimeException e) {
      // Thrown synchronously: buffer full past max.block.ms, record too large, producer closed.
      ackCallback.onCompletion(null, e);
    }
  }

  private static String truncate(String s) {
    return s.length() <= TRUNCATE ? s : s.substring(0, TRUNCATE) + "... (" + s.length() + " chars)";
  }

  /**
   * A pipeline reading {@code source}, matching with {@code matcher} and counting into {@code
   * metrics}; every other option has the default {@link ProducerSettings} has.
   */
  static Builder builder(MessageSource source, TrackMatcher matcher, ProducerMetrics metrics) {
    return new Builder(source, matcher, metrics);
  }

  /** The pipeline's options; {@link #build()} checks them. Not thread-safe. */
  static final class Builder {
    private final MessageSource source;
    private final TrackMatcher matcher;
    private final ProducerMetrics metrics;
    private Producer<String, byte[]> producer;
    private String topic = DEFAULT_TOPIC;
    private String unmatchedKey;
    private int maxMessageBytes = StreamMessage.DEFAULT_MAX_BYTES;
    private int logMalformed = DEFAULT_LOG_MALFORMED;
    private RulesSync.RuleMap rules;

    private Builder(MessageSource source, TrackMatcher matcher, ProducerMetrics metrics) {
      this.source = Objects.requireNonNull(source, "source");
      this.matcher = Objects.requireNonNull(matcher, "matcher");
      this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Where records go; null (the default) is a dry run that sends nothing. */
    Builder producer(Producer<String, byte[]> producer) {
      this.producer = producer;
      return this;
    }

    /** The topic records are sent to; default {@value #DEFAULT_TOPIC}. */
    Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** The key unmatched statuses are sent under; null (the default): count and drop them. */
    Builder unmatchedKey(String unmatchedKey) {
      this.unmatchedKey = unmatchedKey;
      return this;
    }

    /** Larger messages are counted as malformed and skipped; in bytes, at least 1. */
    Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * Reads the X API v2 filtered stream: posts go out under the keywords of the rules they
     * matched, as {@code rules} maps them. By default the source speaks v1.1.
     */
    Builder v2(RulesSync.RuleMap rules) {
      this.rules = rules;
      return this;
    }

    /** How many malformed or unknown messages to log, truncated; at least 0. */
    Builder logMalformed(int logMalformed) {
      this.logMalformed = logMalformed;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the option that is out of range
     */
    StatusPipeline build() {
      if (topic == null || topic.isEmpty()) {
        throw new IllegalArgumentException("topic must not be empty");
      }
      if (unmatchedKey != null && unmatchedKey.isEmpty()) {
        throw new IllegalArgumentException("unmatchedKey must be null (drop) or not empty");
      }
      if (maxMessageBytes < 1) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be at least 1: " + maxMessageBytes);
      }
      if (logMalformed < 0) {
        throw new IllegalArgumentException("logMalformed must be at least 0: " + logMalformed);
      }
      return new StatusPipeline(this);
    }
  }
}
