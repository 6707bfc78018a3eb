package io.trendline.streamserver;

/**
 * A monotonic time source in nanoseconds, such as {@link System#nanoTime()}: what paced and timed
 * code reads instead of the system, so that a test can drive it with a fake one (see {@link
 * Sleeper}).
 */
interface Ticker {
  /** The system's monotonic clock. */
  Ticker SYSTEM = System::nanoTime;

  long nanoTime();
}
