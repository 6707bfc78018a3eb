package io.trendline.streamserver;

/**
 * Paces permits at a fixed rate without drift: the n-th permit is due at {@code start + n *
 * interval} on a monotonic clock, so time spent between calls (generating, parsing, writing) is
 * absorbed instead of accumulating. A caller that falls behind gets its permits at once until it
 * has caught up, but never more than {@link #MAX_BURST_NANOS} worth: after a longer gap (no client
 * connected, a back-pressured writer) the schedule starts afresh instead of bursting. Not
 * thread-safe: one thread acquires.
 */
final class RateLimiter {
  static final long MAX_BURST_NANOS = 1_000_000_000L;

  private final long intervalNanos;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private long next;
  private boolean started;

  /**
   * @param perSecond permits per second; 0 means unlimited
   */
  RateLimiter(double perSecond, Ticker ticker, Sleeper sleeper) {
    if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0: " + perSecond);
    }
    this.intervalNanos = perSecond == 0 ? 0 : Math.max(1, Math.round(1e9 / perSecond));
    this.ticker = ticker;
    this.sleeper = sleeper;
  }

  static RateLimiter system(double perSecond) {
    return new RateLimiter(perSecond, Ticker.SYSTEM, Sleeper.SYSTEM);
  }

  boolean unlimited() {
    return intervalNanos == 0;
  }

  /** Blocks until the next permit is due. */
  void acquire() throws InterruptedException {
    if (intervalNanos == 0) {
      return;
    }
    long now = ticker.nanoTime();
    if (!started || now - next > MAX_BURST_NANOS) {
      next = now;
      started = true;
    }
    long wait;
    while ((wait = next - now) > 0) {
      sleeper.sleepNanos(wait);
      now = ticker.nanoTime();
    }
    next += intervalNanos;
  }

  /** Gives back the permit last acquired (it was not used), so the next one is due at once. */
  void refund() {
    if (intervalNanos != 0 && started) {
      next -= intervalNanos;
    }
  }

  /** Forgets the schedule: the next permit is due at once and the pacing starts from there. */
  void reset() {
    started = false;
  }
}
