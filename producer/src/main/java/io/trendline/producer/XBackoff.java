package io.trendline.producer;

import com.twitter.hbc.ReconnectionManager;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The X API v2's reconnection back-off, as X's "Handling disconnections" prescribes: after a
 * network error, linearly from 250 ms by 250 ms up to 16 s; after an HTTP error, exponentially from
 * 5 s up to 320 s; after an HTTP 429, until the rate limit's reset time when X sends one, else
 * exponentially from a minute (the {@code stream.rate.limit.backoff} setting). An established
 * connection resets every count (and runs {@code onConnected}). 4xx answers are retried {@code
 * retries} times, then the client stops. Used by Hosebird's one connection thread only.
 */
final class XBackoff implements ReconnectionManager {
  static final long LINEAR_STEP_MS = 250;
  static final long LINEAR_MAX_MS = 16_000;
  static final long HTTP_FIRST_MS = 5_000;
  static final long HTTP_MAX_MS = 320_000;

  /** The longest wait for a rate limit: X's windows are 15 minutes. */
  static final long RATE_LIMIT_MAX_MS = 16 * 60_000;

  /** Waits; an interrupt ends the wait early (Hosebird's stop). */
  interface Sleeper {
    void sleep(long ms) throws InterruptedException;
  }

  private final XStreamAuth answers;
  private final int retries;
  private final long rateLimitFirstMs;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Consumer<String> log;
  private final Runnable onConnected;
  private int linear;
  private int http;
  private int rateLimited;
  private int retried;

  XBackoff(
      XStreamAuth answers,
      int retries,
      Duration rateLimitFirst,
      Clock clock,
      Sleeper sleeper,
      Consumer<String> log,
      Runnable onConnected) {
    this.answers = answers;
    this.retries = retries;
    this.rateLimitFirstMs = rateLimitFirst.toMillis();
    this.clock = clock;
    this.sleeper = sleeper;
    this.log = log;
    this.onConnected = onConnected;
  }

  @Override
  public void handleLinearBackoff() {
    http = 0;
    rateLimited = 0;
    linear++;
    sleep(Math.min(LINEAR_MAX_MS, LINEAR_STEP_MS * linear), "after a network error");
  }

  @Override
  public void handleExponentialBackoff() {
    linear = 0;
    XStreamAuth.Refusal last = answers.lastRefusal();
    if (last != null && last.status == 429) {
      rateLimited++;
      long ms;
      String why;
      long now = clock.millis();
      if (last.resetEpochSeconds > 0 && last.resetEpochSeconds * 1000 > now) {
        ms = Math.min(RATE_LIMIT_MAX_MS, last.resetEpochSeconds * 1000 - now + 1000);
        why = "until the rate limit resets";
      } else {
        ms = Math.min(RATE_LIMIT_MAX_MS, shifted(rateLimitFirstMs, rateLimited - 1));
        why = "after HTTP 429";
      }
      sleep(ms, why + (last.tooManyConnections() ? " (too many connections)" : ""));
      return;
    }
    rateLimited = 0;
    http++;
    sleep(
        Math.min(HTTP_MAX_MS, shifted(HTTP_FIRST_MS, http - 1)),
        "after HTTP " + (last == null ? "error" : last.status));
  }

  private static long shifted(long first, int doublings) {
    return doublings >= 30 ? Long.MAX_VALUE : first << doublings;
  }

  @Override
  public boolean shouldReconnectOn400s() {
    retried++;
    return retried <= retries;
  }

  @Override
  public int estimateBackfill(double tps) {
    return 0;
  }

  /** Hosebird calls this once a connection is established. */
  @Override
  public void resetCounts() {
    onConnected.run();
    linear = 0;
    http = 0;
    rateLimited = 0;
    retried = 0;
  }

  private void sleep(long ms, String why) {
    log.accept("reconnecting in " + ms + " ms " + why);
    try {
      sleeper.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
