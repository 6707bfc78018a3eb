package io.trendline.streamserver;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits; a test replaces it with one that advances a fake {@link Ticker} by exactly the time asked
 * for, so nothing really sleeps. A real one may return early (callers that wait for a time re-read
 * their ticker and wait again).
 */
interface Sleeper {
  /** Parks the calling thread; an interrupt ends the wait with {@link InterruptedException}. */
  Sleeper SYSTEM =
      nanos -> {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      };

  void sleepNanos(long nanos) throws InterruptedException;
}
