package io.trendline.producer;

import com.twitter.hbc.ClientBuilder;
import com.twitter.hbc.ReconnectionManager;
import com.twitter.hbc.core.Constants;
import com.twitter.hbc.core.Hosts;
import com.twitter.hbc.core.HttpHosts;
import com.twitter.hbc.core.endpoint.RawEndpoint;
import com.twitter.hbc.core.endpoint.StatusesFilterEndpoint;
import com.twitter.hbc.core.endpoint.StreamingEndpoint;
import com.twitter.hbc.core.event.Event;
import com.twitter.hbc.core.event.EventType;
import com.twitter.hbc.core.event.HttpResponseEvent;
import com.twitter.hbc.core.processor.HosebirdMessageProcessor;
import com.twitter.hbc.httpclient.BasicClient;
import com.twitter.hbc.httpclient.auth.Authentication;
import com.twitter.hbc.httpclient.auth.OAuth1;
import io.trendline.common.KeywordList;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream through Twitter's Hosebird client, into a bounded queue: v1.1's {@code statuses/filter}
 * ({@code track} = the keywords, length-delimited messages, OAuth 1.0a) or the X API v2 filtered
 * stream ({@code GET /2/tweets/search/stream} with the fields and expansions matching needs,
 * newline-delimited, a bearer token, {@link XBackoff}'s back-off). Hosebird reconnects by itself on
 * disconnects and 5xx (with back-off) and retries 4xx answers with back-off up to {@code retries}
 * times. This class adds what an operator needs on top: a 401 or 403 stops at once with a
 * credentials error instead of retrying, too many connections are named as such, and the other
 * fatal exits become a {@link SourceFailedException} with the reason.
 */
final class HosebirdSource implements MessageSource {
  private static final Logger log = LoggerFactory.getLogger(HosebirdSource.class);
  private static final int STOP_WAIT_MS = 5_000;

  private final BlockingQueue<byte[]> messages;

  /**
   * Messages taken from {@link #messages} in one go and not yet polled: read by the pipeline's
   * thread only ({@link #buffered} says how many to others).
   */
  private final ArrayDeque<byte[]> taken = new ArrayDeque<>();

  private volatile int buffered;

  /**
   * How many messages a poll takes from the queue at once. Taken one at a time from a full queue
   * (the pipeline behind a fast stream), every poll woke Hosebird's thread to put one more and park
   * again: a context switch per message on each side.
   */
  static final int TAKE_AT_ONCE = 256;

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(1000);
  private final BasicClient client;
  private final String host;
  private final String path;
  private final String credentialsHint;

  /** v2's answers, for naming refusals; null for v1. */
  private final XStreamAuth v2Answers;

  /** Counted down by stop: ends a back-off wait early. */
  private final CountDownLatch stopping = new CountDownLatch(1);

  private final AtomicReference<String> failure = new AtomicReference<>();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong connectionErrors = new AtomicLong();
  private final Map<Integer, Long> httpErrors = new ConcurrentSkipListMap<>();
  private volatile boolean stopped;
  private volatile boolean started;

  /** The v2 stream's fields and expansions: what matching and the consumer's users need. */
  static final String V2_TWEET_FIELDS =
      "created_at,lang,author_id,entities,note_tweet,referenced_tweets";

  static final String V2_EXPANSIONS =
      "author_id,referenced_tweets.id,referenced_tweets.id.author_id";
  static final String V2_USER_FIELDS = "username,name";

  static final String V2_PATH = "/2/tweets/search/stream";

  /** v1.1's statuses/filter with {@code track} = the keywords. */
  HosebirdSource(
      String host,
      KeywordList keywords,
      Credentials credentials,
      int queueCapacity,
      int retries,
      Duration stallTimeout) {
    this(
        host,
        "/1.1/statuses/filter.json",
        "check the TWITTER_* variables or the credentials file",
        v1Endpoint(keywords),
        new OAuth1(
            credentials.consumerKey,
            credentials.consumerSecret,
            credentials.token,
            credentials.tokenSecret),
        null,
        false,
        queueCapacity,
        retries,
        stallTimeout,
        Duration.ZERO,
        () -> {});
  }

  /**
   * The X API v2 filtered stream; its rules must be in place.
   *
   * @param backfillMinutes 1-5 to ask for the posts missed while disconnected; 0 for none
   * @param rateLimitBackoff the first wait after a 429 without a reset time
   */
  static HosebirdSource v2(
      String host,
      BearerToken token,
      int queueCapacity,
      int retries,
      Duration stallTimeout,
      int backfillMinutes,
      Duration rateLimitBackoff) {
    RawEndpoint endpoint = new RawEndpoint(V2_PATH, "GET");
    endpoint.addQueryParameter("tweet.fields", V2_TWEET_FIELDS);
    endpoint.addQueryParameter("expansions", V2_EXPANSIONS);
    endpoint.addQueryParameter("user.fields", V2_USER_FIELDS);
    // Not on the first connection (a restarted producer would read again what the last one
    // sent): on every reconnection once a connection was made.
    Runnable onConnected =
        backfillMinutes > 0
            ? () ->
                endpoint.addQueryParameter("backfill_minutes", Integer.toString(backfillMinutes))
            : () -> {};
    XStreamAuth auth = new XStreamAuth(token);
    return new HosebirdSource(
        host,
        V2_PATH,
        "check TWITTER_BEARER_TOKEN or bearer.token in the credentials file, and that the app's"
            + " access level includes the filtered stream",
        endpoint,
        auth,
        auth,
        true,
        queueCapacity,
        retries,
        stallTimeout,
        rateLimitBackoff,
        onConnected);
  }

  private HosebirdSource(
      String host,
      String path,
      String credentialsHint,
      StreamingEndpoint endpoint,
      Authentication auth,
      XStreamAuth v2Answers,
      boolean lineDelimited,
      int queueCapacity,
      int retries,
      Duration stallTimeout,
      Duration rateLimitBackoff,
      Runnable onConnected) {
    this.host = host;
    this.path = path;
    this.credentialsHint = credentialsHint;
    this.v2Answers = v2Answers;
    this.messages = new LinkedBlockingQueue<>(queueCapacity);
    Hosts hosts = new HttpHosts(host);
    HosebirdMessageProcessor processor =
        new ByteMessageProcessor(
            messages,
            lineDelimited
                ? ByteMessageProcessor.Framing.LINE
                : ByteMessageProcessor.Framing.LENGTH);
    ClientBuilder builder =
        new ClientBuilder()
            .name("trendline-hosebird")
            .hosts(hosts)
            .endpoint(endpoint)
            .authentication(auth)
            .processor(processor)
            .eventMessageQueue(events)
            // A read that waits this long ends the connection, and Hosebird reconnects: a stall.
            .socketTimeout((int) Math.min(Integer.MAX_VALUE, stallTimeout.toMillis()));
    if (v2Answers != null) {
      ReconnectionManager backoff =
          new XBackoff(
              v2Answers,
              retries,
              rateLimitBackoff,
              Clock.systemUTC(),
              ms -> stopping.await(ms, TimeUnit.MILLISECONDS),
              line -> log.info("{}", line),
              onConnected);
      builder.reconnectionManager(backoff);
    } else {
      builder.retries(retries);
    }
    this.client = builder.build();
  }

  private static StatusesFilterEndpoint v1Endpoint(KeywordList keywords) {
    StatusesFilterEndpoint endpoint = new StatusesFilterEndpoint();
    endpoint.trackTerms(keywords.terms());
    endpoint.stallWarnings(true);
    return endpoint;
  }

  /** The host Hosebird would use when none is given: Twitter's own. */
  static String defaultHost() {
    return Constants.STREAM_HOST;
  }

  @Override
  public void start() {
    log.info("connecting to {}{}", host, path);
    started = true;
    client.connect();
  }

  @Override
  public byte[] poll(long timeout, TimeUnit unit) throws InterruptedException {
    byte[] message = taken.pollFirst();
    if (message == null) {
      message = messages.poll(timeout, unit);
      if (message != null) {
        messages.drainTo(taken, TAKE_AT_ONCE - 1);
      }
    }
    buffered = taken.size();
    // A failure is reported once nothing is left to return, this message included.
    checkEvents(message == null);
    return message;
  }

  private void checkEvents(boolean nothingToReturn) {
    Event event;
    while ((event = events.poll()) != null) {
      EventType type = event.getEventType();
      if (type == EventType.HTTP_ERROR && event instanceof HttpResponseEvent) {
        int code = ((HttpResponseEvent) event).getStatusLine().getStatusCode();
        if (code == 401 || code == 403) {
          fail(
              "the stream at "
                  + host
                  + " rejected the credentials (HTTP "
                  + code
                  + refusal()
                  + "): "
                  + credentialsHint);
        } else {
          httpErrors.merge(code, 1L, Long::sum);
          XStreamAuth.Refusal r = v2Answers == null ? null : v2Answers.lastRefusal();
          if (r != null && r.tooManyConnections()) {
            log.warn(
                "the stream refused the connection: too many connections for this app (another"
                    + " producer with the same token, or a connection X has not closed yet);"
                    + " backing off and retrying");
          } else {
            log.warn("stream answered HTTP {}{}; backing off and retrying", code, refusal());
          }
        }
      } else if (type == EventType.CONNECTED) {
        connects.incrementAndGet();
        log.info("connected to the stream");
      } else if (type == EventType.DISCONNECTED) {
        reconnects.incrementAndGet();
        log.warn("disconnected from the stream; Hosebird reconnects");
      } else if (type == EventType.CONNECTION_ERROR) {
        connectionErrors.incrementAndGet();
        log.warn("cannot connect to the stream at {}: {}", host, event.getMessage());
      } else if (type == EventType.STOPPED_BY_ERROR && !stopped) {
        fail("the stream client stopped: " + event.getMessage());
      }
    }
    String reason = failure.get();
    if (reason != null && nothingToReturn && messages.isEmpty() && taken.isEmpty()) {
      throw new SourceFailedException(reason);
    }
  }

  /** ": title: detail" of the last v2 refusal, or "". */
  private String refusal() {
    XStreamAuth.Refusal r = v2Answers == null ? null : v2Answers.lastRefusal();
    String d = r == null ? "" : r.describe();
    return d.isEmpty() ? "" : ": " + d;
  }

  private void fail(String reason) {
    if (failure.compareAndSet(null, reason)) {
      stopping.countDown();
      client.stop(STOP_WAIT_MS);
    }
  }

  @Override
  public boolean isFinished() {
    return (stopped || client.isDone()) && messages.isEmpty() && buffered == 0;
  }

  @Override
  public void stop() {
    stopped = true;
    stopping.countDown();
    client.stop(STOP_WAIT_MS);
  }

  @Override
  public long dropped() {
    return client.getStatsTracker().getNumMessagesDropped();
  }

  @Override
  public int queueDepth() {
    return messages.size() + buffered;
  }

  /** Messages taken from the queue by the last polls and not yet returned. */
  int taken() {
    return buffered;
  }

  long disconnects() {
    return reconnects.get();
  }

  /**
   * Messages Hosebird read off the stream: each is polled, dropped (queue full) or still queued.
   */
  long received() {
    return client.getStatsTracker().getNumMessages();
  }

  /**
   * "Stream: connected 3 times, disconnected 2 times (dropped or stalled), HTTP 420 x2 503 x1, 0
   * connection errors; 8127 messages received." The counts are of the events taken so far; the
   * messages are those Hosebird read whole, each of which the report's own counters account for
   * (read, or dropped by the client queue).
   */
  @Override
  public String activity() {
    checkEventsQuietly();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "Stream: connected %d times, disconnected %d times (dropped or stalled)",
            connects.get(),
            reconnects.get()));
    if (!httpErrors.isEmpty()) {
      sb.append(", HTTP");
      for (Map.Entry<Integer, Long> e : httpErrors.entrySet()) {
        sb.append(' ').append(e.getKey()).append(" x").append(e.getValue());
      }
    }
    sb.append(", ").append(connectionErrors.get()).append(" connection errors; ");
    sb.append(received()).append(" messages received.");
    return sb.toString();
  }

  /**
   * Takes the events not yet seen, without failing on a stop the run already reported (and without
   * reading what only the pipeline's thread reads).
   */
  private void checkEventsQuietly() {
    checkEvents(false);
  }

  @Override
  public void close() {
    // A client never started has nothing to stop (and Hosebird would wait for it in vain).
    stopping.countDown();
    if (started && !client.isDone()) {
      client.stop(STOP_WAIT_MS);
    }
  }

  @Override
  public String toString() {
    return host;
  }
}
