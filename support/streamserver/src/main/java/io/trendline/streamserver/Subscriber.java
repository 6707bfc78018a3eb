package io.trendline.streamserver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The queue between the pump and one connection. Bounded for the pump (which waits while it is
 * full: a slow connection slows the stream instead of losing statuses), unbounded for redelivered
 * items placed there when the connection opens. Thread-safe: the pump puts, the connection's writer
 * drains, and anyone may close it.
 *
 * <p>Timed waits ({@link #drain}, {@link #awaitClosed}) measure time on a {@link Ticker}; a put or
 * a close ends them early.
 */
final class Subscriber {
  private final int capacity;
  private final Ticker ticker;

  /** Passes the time of a timed wait while holding this queue's lock. */
  private final Sleeper waiter;

  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private boolean closed;
  private String closeReason;

  /** A queue on the system's time: its timed waits are waits on its lock. */
  Subscriber(int capacity) {
    this.capacity = capacity;
    this.ticker = Ticker.SYSTEM;
    this.waiter = nanos -> TimeUnit.NANOSECONDS.timedWait(this, nanos);
  }

  /**
   * A queue on fake time, for tests of its reader: a timed wait calls {@code sleeper} with the time
   * left, while holding the queue's lock, so only the sleeper itself can put or close meanwhile (it
   * runs on the waiting thread and may, to script what arrives when).
   */
  Subscriber(int capacity, Ticker ticker, Sleeper sleeper) {
    this.capacity = capacity;
    this.ticker = ticker;
    this.waiter = sleeper;
  }

  /** Adds items ahead of anything the pump will put; used before the pump sees this queue. */
  synchronized void preload(Collection<Item> items) {
    queue.addAll(items);
  }

  /**
   * Waits for room, then adds {@code item}.
   *
   * @return false when the subscriber was closed (the item was not added)
   */
  synchronized boolean put(Item item) throws InterruptedException {
    while (queue.size() >= capacity && !closed) {
      wait();
    }
    if (closed) {
      return false;
    }
    queue.addLast(item);
    notifyAll();
    return true;
  }

  /**
   * Moves up to {@code max} items into {@code into}, waiting up to {@code timeoutNanos} for the
   * first one.
   *
   * @return how many were moved; -1 when closed and nothing was moved
   */
  synchronized int drain(List<Item> into, int max, long timeoutNanos) throws InterruptedException {
    long deadline = ticker.nanoTime() + timeoutNanos;
    long left = timeoutNanos;
    while (queue.isEmpty() && !closed && left > 0) {
      waiter.sleepNanos(left);
      left = deadline - ticker.nanoTime();
    }
    if (queue.isEmpty()) {
      return closed ? -1 : 0;
    }
    int n = 0;
    while (n < max && !queue.isEmpty()) {
      into.add(queue.pollFirst());
      n++;
    }
    notifyAll();
    return n;
  }

  synchronized boolean isEmpty() {
    return queue.isEmpty();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  synchronized String closeReason() {
    return closeReason;
  }

  /** Waits until closed or {@code nanos} pass; returns whether closed. */
  synchronized boolean awaitClosed(long nanos) throws InterruptedException {
    long deadline = ticker.nanoTime() + nanos;
    long left = nanos;
    while (!closed && left > 0) {
      waiter.sleepNanos(left);
      left = deadline - ticker.nanoTime();
    }
    return closed;
  }

  /** Closes (the first reason given wins) and wakes everyone waiting. Idempotent. */
  synchronized void close(String reason) {
    if (!closed) {
      closed = true;
      closeReason = reason;
      notifyAll();
    }
  }

  /** Closes and removes every queued item, in order. */
  synchronized List<Item> closeAndDrain(String reason) {
    close(reason);
    List<Item> rest = new ArrayList<>(queue);
    queue.clear();
    return rest;
  }
}
