package io.trendline.producer;

import com.twitter.hbc.ClientBuilder;
import com.twitter.hbc.core.Constants;
import com.twitter.hbc.core.Hosts;
import com.twitter.hbc.core.HttpHosts;
import com.twitter.hbc.core.endpoint.StatusesFilterEndpoint;
import com.twitter.hbc.core.event.Event;
import com.twitter.hbc.core.event.EventType;
import com.twitter.hbc.core.event.HttpResponseEvent;
import com.twitter.hbc.core.processor.StringDelimitedProcessor;
import com.twitter.hbc.httpclient.BasicClient;
import com.twitter.hbc.httpclient.auth.OAuth1;
import io.trendline.common.KeywordList;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code statuses/filter} stream through Twitter's Hosebird client: {@code track} = the
 * keywords, length-delimited messages into a bounded queue. Hosebird reconnects by itself on
 * disconnects and 5xx (with back-off) and retries 420/429 with exponential back-off up to {@code
 * retries} times. This class adds what an operator needs on top: a 401 or 403 stops at once with a
 * credentials error instead of retrying, and the other fatal exits become a {@link
 * SourceFailedException} with the reason.
 */
final class HosebirdSource implements MessageSource {
  private static final Logger log = LoggerFactory.getLogger(HosebirdSource.class);
  private static final int STOP_WAIT_MS = 5_000;

  private final BlockingQueue<String> messages;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(1000);
  private final BasicClient client;
  private final String host;
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong connectionErrors = new AtomicLong();
  private final Map<Integer, Long> httpErrors = new ConcurrentSkipListMap<>();
  private volatile boolean stopped;
  private volatile boolean started;

  HosebirdSource(
      String host,
      KeywordList keywords,
      Credentials credentials,
      int queueCapacity,
      int retries,
      Duration stallTimeout) {
    this.host = host;
    this.messages = new LinkedBlockingQueue<>(queueCapacity);
    StatusesFilterEndpoint endpoint = new StatusesFilterEndpoint();
    endpoint.trackTerms(keywords.terms());
    endpoint.stallWarnings(true);
    Hosts hosts = new HttpHosts(host);
    this.client =
        new ClientBuilder()
            .name("trendline-hosebird")
            .hosts(hosts)
            .endpoint(endpoint)
            .authentication(
                new OAuth1(
                    credentials.consumerKey,
                    credentials.consumerSecret,
                    credentials.token,
                    credentials.tokenSecret))
            .processor(new StringDelimitedProcessor(messages))
            .eventMessageQueue(events)
            .retries(retries)
            // A read that waits this long ends the connection, and Hosebird reconnects: a stall.
            .socketTimeout((int) Math.min(Integer.MAX_VALUE, stallTimeout.toMillis()))
            .build();
  }

  /** The host Hosebird would use when none is given: Twitter's own. */
  static String defaultHost() {
    return Constants.STREAM_HOST;
  }

  @Override
  public void start() {
    log.info("connecting to {}/1.1/statuses/filter.json", host);
    started = true;
    client.connect();
  }

  @Override
  public String poll(long timeout, TimeUnit unit) throws InterruptedException {
    String message = messages.poll(timeout, unit);
    checkEvents();
    return message;
  }

  private void checkEvents() {
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
                  + "): check the TWITTER_* variables or the credentials file");
        } else {
          httpErrors.merge(code, 1L, Long::sum);
          log.warn("stream answered HTTP {}; Hosebird backs off and retries", code);
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
    if (reason != null && messages.isEmpty()) {
      throw new SourceFailedException(reason);
    }
  }

  private void fail(String reason) {
    if (failure.compareAndSet(null, reason)) {
      client.stop(STOP_WAIT_MS);
    }
  }

  @Override
  public boolean isFinished() {
    return (stopped || client.isDone()) && messages.isEmpty();
  }

  @Override
  public void stop() {
    stopped = true;
    client.stop(STOP_WAIT_MS);
  }

  @Override
  public long dropped() {
    return client.getStatsTracker().getNumMessagesDropped();
  }

  @Override
  public int queueDepth() {
    return messages.size();
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

  /** Takes the events not yet seen, without failing on a stop the run already reported. */
  private void checkEventsQuietly() {
    try {
      checkEvents();
    } catch (SourceFailedException e) {
      // already reported by the pipeline
    }
  }

  @Override
  public void close() {
    // A client never started has nothing to stop (and Hosebird would wait for it in vain).
    if (started && !client.isDone()) {
      client.stop(STOP_WAIT_MS);
    }
  }

  @Override
  public String toString() {
    return host;
  }
}
