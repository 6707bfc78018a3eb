package io.trendline.streamserver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one cursor over the source, shared by every connection, and the pump thread that advances it.
 *
 * <p>The pump takes messages from the source (pacing statuses with the rate limiter) and offers
 * each to every open connection. It moves only while at least one connection is open, so a client
 * that reconnects resumes where the stream was: nothing is replayed twice and nothing is skipped
 * while nobody listens. Messages a connection took from the cursor but did not deliver (still
 * queued, or written to a socket that then failed) are handed back with {@link #unsubscribe} and
 * offered first to the next connection that opens, in source order and without duplicates. With one
 * client at a time (the tests' case) every message therefore reaches it exactly once, across any
 * number of reconnects. With several concurrent clients, a dropped connection's leftovers go to
 * whichever connection opens next.
 *
 * <p>A stream that ends on the server's initiative (a fault) closes its queue before the client can
 * see the end, and a new stream waits for closed ones to hand back; so a client reconnecting at
 * once still gets the leftovers first. When the client ends a stream (it hangs up), its leftovers
 * reach the next stream if the hang-up was noticed before that stream opened, which on loopback it
 * is; otherwise they wait for the stream after.
 *
 * <p>Thread-safe.
 */
final class Hub implements AutoCloseable {
  static final long HANDBACK_WAIT_NANOS = 2_000_000_000L;

  private final MessageSource source;
  private final RateLimiter limiter;
  private final int queueCapacity;
  private final Consumer<String> log;
  private final Object lock = new Object();
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final TreeMap<Long, Item> redelivery = new TreeMap<>();
  private final Thread pump;

  final AtomicLong taken = new AtomicLong();

  /** Statuses among the messages taken, counted as they are classified (see {@link Item}). */
  final AtomicLong takenStatuses = new AtomicLong();

  final AtomicLong redelivered = new AtomicLong();
  private volatile boolean exhausted;
  private volatile boolean closed;
  private volatile String failure;

  Hub(MessageSource source, RateLimiter limiter, int queueCapacity, Consumer<String> log) {
    this.source = source;
    this.limiter = limiter;
    this.queueCapacity = queueCapacity;
    this.log = log;
    this.pump = new Thread(this::pump, "streamserver-pump");
    pump.setDaemon(true);
  }

  void start() {
    pump.start();
  }

  boolean exhausted() {
    return exhausted;
  }

  /** Why the source failed, or null. */
  String failure() {
    return failure;
  }

  int pendingRedelivery() {
    synchronized (lock) {
      return redelivery.size();
    }
  }

  /**
   * A new connection's queue, preloaded with what earlier connections left undelivered. A client
   * reconnects as soon as it sees its stream end, possibly before the old stream's thread has
   * handed back what it did not deliver; so this first waits (up to {@link #HANDBACK_WAIT_NANOS})
   * for streams that are closed but not yet unsubscribed.
   */
  Subscriber subscribe() throws InterruptedException {
    Subscriber sub = new Subscriber(queueCapacity);
    synchronized (lock) {
      long deadline = System.nanoTime() + HANDBACK_WAIT_NANOS;
      long left = HANDBACK_WAIT_NANOS;
      while (anyClosed() && left > 0) {
        TimeUnit.NANOSECONDS.timedWait(lock, left);
        left = deadline - System.nanoTime();
      }
      if (!redelivery.isEmpty()) {
        redelivered.addAndGet(redelivery.size());
        sub.preload(redelivery.values());
        redelivery.clear();
      }
      subscribers.add(sub);
      lock.notifyAll();
    }
    return sub;
  }

  /**
   * Removes a connection's queue, keeping {@code undelivered} (messages it took but did not
   * deliver) and whatever was still queued for the next connection.
   *
   * @return how many statuses were kept for redelivery
   */
  int unsubscribe(Subscriber sub, Collection<Item> undelivered, String reason) {
    List<Item> rest = sub.closeAndDrain(reason);
    int statuses = 0;
    synchronized (lock) {
      subscribers.remove(sub);
      lock.notifyAll();
      for (Item item : undelivered) {
        statuses += keep(item);
      }
      for (Item item : rest) {
        statuses += keep(item);
      }
    }
    return statuses;
  }

  private boolean anyClosed() {
    for (Subscriber s : subscribers) {
      if (s.isClosed()) {
        return true;
      }
    }
    return false;
  }

  private int keep(Item item) {
    return redelivery.put(item.seq, item) == null && item.isStatus() ? 1 : 0;
  }

  private void pump() {
    long seq = 0;
    try {
      while (!closed) {
        awaitSubscriber();
        limiter.acquire();
        String raw = source.next();
        if (raw == null) {
          exhausted = true;
          log.accept("source exhausted after " + taken.get() + " messages");
          return;
        }
        Item item = Item.of(++seq, raw, takenStatuses);
        taken.incrementAndGet();
        // Only pacing needs to know what the message is; unthrottled, connections parse it.
        if (!limiter.unlimited() && !item.isStatus()) {
          limiter.refund();
        }
        publish(item);
      }
    } catch (InterruptedException e) {
      // Closing.
    } catch (IOException | RuntimeException e) {
      failure = String.valueOf(e);
      exhausted = true;
      log.accept("source failed: " + e);
    }
  }

  private void awaitSubscriber() throws InterruptedException {
    synchronized (lock) {
      if (subscribers.isEmpty()) {
        while (subscribers.isEmpty() && !closed) {
          lock.wait();
        }
        // Nobody was listening: pace from now on rather than catching up.
        limiter.reset();
      }
    }
  }

  private void publish(Item item) throws InterruptedException {
    while (true) {
      List<Subscriber> targets = new ArrayList<>(4);
      synchronized (lock) {
        for (Subscriber sub : subscribers) {
          if (!sub.isClosed()) {
            targets.add(sub);
          }
        }
        if (targets.isEmpty()) {
          // Nobody (still) listening: the next connection gets it.
          redelivery.put(item.seq, item);
          return;
        }
      }
      boolean delivered = false;
      for (Subscriber sub : targets) {
        delivered |= sub.put(item);
      }
      if (delivered) {
        return;
      }
      // Every target closed meanwhile: look again at who is subscribed now.
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    pump.interrupt();
    try {
      pump.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      source.close();
    } catch (IOException e) {
      log.accept("closing the source failed: " + e);
    }
  }
}
