package io.trendline.streamserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** Fake time: sleeping advances it exactly. */
  private long now = 1_000_000_000L;

  private RateLimiter limiter(double rate) {
    return new RateLimiter(rate, () -> now, nanos -> now += nanos);
  }

  @Test
  void workBetweenPermitsDoesNotAccumulateIntoDrift() throws InterruptedException {
    RateLimiter l = limiter(100);
    Random work = new Random(1);
    long start = now;
    for (int i = 0; i < 1000; i++) {
      l.acquire();
      now += work.nextInt(8_000_000); // up to 8 ms of work per 10 ms permit
    }
    // Permit 1000 is due 999 intervals after the first; the last work adds at most 8 ms.
    long elapsed = now - start;
    assertTrue(
        elapsed >= 9_990_000_000L && elapsed < 9_990_000_000L + 8_000_000L, "elapsed " + elapsed);
  }

  @Test
  void aShortBacklogIsCaughtUpAndALongGapStartsAfresh() throws InterruptedException {
    RateLimiter l = limiter(10);
    l.acquire();
    now += 300_000_000L; // 3 intervals late: the next permits come at once
    long before = now;
    l.acquire();
    l.acquire();
    assertEquals(before, now);
    now += 5_000_000_000L; // far behind: no burst of 50 permits
    l.acquire();
    before = now;
    l.acquire();
    assertEquals(before + 100_000_000L, now);
  }

  @Test
  void refundAndResetAndUnlimited() throws InterruptedException {
    RateLimiter l = limiter(10);
    l.acquire();
    long t = now;
    l.acquire();
    assertEquals(t + 100_000_000L, now);
    l.refund();
    l.acquire();
    assertEquals(t + 100_000_000L, now, "a refunded permit is due again at once");
    RateLimiter free = limiter(0);
    t = now;
    for (int i = 0; i < 1000; i++) {
      free.acquire();
    }
    assertEquals(t, now);
    assertThrows(IllegalArgumentException.class, () -> limiter(-1));
  }
}
