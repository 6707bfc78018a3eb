package io.trendline.consumer;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import scala.Tuple2;

/**
 * One partition of the window: each key's count over the last {@code batches} batches, and each of
 * those batches' counts, so that a batch's counts can be taken away when it leaves. {@link
 * #advance} adds a batch and takes away the one that leaves, touching only their keys; a key whose
 * count falls to zero is forgotten. Exact: a key's count is the sum of its counts in the batches of
 * the window.
 *
 * <p>Immutable once made: {@link #advance} returns a new window (copies of the key table, a few
 * arrays, and of the ring of batches' references; each batch's counts are shared, never changed),
 * so a cached window can be read again, by a task retried or a second job, and still be the same.
 * The copies are memory copies of arrays sized for the keys in the window (some 200 KB for 10,000
 * keys); the table shrinks when its keys fall below a quarter of its room, so a burst of keys does
 * not leave every later copy that large. Keys are numbered in the table and a batch holds its keys'
 * numbers; a number is reused only once its key's count is zero, i.e. once no batch in the ring
 * holds it.
 *
 * <p>A window read back from a checkpoint (by Java serialization or any other Spark serializer) is
 * checked, once, before it is used: a window whose parts do not fit together fails with an {@link
 * IllegalStateException} naming what is wrong, instead of counting wrong.
 */
final class WindowCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A batch's counts: keys by their number in the table, with their counts (all positive). */
  private static final class Batch implements Serializable {
    private static final long serialVersionUID = 1L;
    static final Batch EMPTY = new Batch(new int[0], new long[0]);
    final int[] ids;
    final long[] counts;

    Batch(int[] ids, long[] counts) {
      this.ids = ids;
      this.counts = counts;
    }
  }

  private static final int MIN_KEYS = 16;

  /** The batches in the window, the length of {@link #ring}. */
  private final int batches;

  /** Keys by number; null where the number is free. */
  private String[] keys;

  /** Counts by number; zero where the number is free. */
  private long[] counts;

  /**
   * Open addressing with linear probing: a key's number plus one, 0 for an empty slot; a power of
   * two, at least twice the length of {@link #keys}.
   */
  private int[] index;

  /** Free numbers below {@link #nextId}, {@link #freeCount} of them. */
  private int[] free;

  private int freeCount;
  private int nextId;
  private int size;

  /** The window's batches, oldest at {@link #oldest}. */
  private Batch[] ring;

  private int oldest;

  /** False in a window read back from a checkpoint until {@link #verify} has checked it. */
  private transient boolean verified;

  private WindowCounts(int batches) {
    if (batches <= 0) {
      throw new IllegalArgumentException("a window of " + batches + " batches");
    }
    this.batches = batches;
    keys = new String[MIN_KEYS];
    counts = new long[MIN_KEYS];
    index = new int[2 * MIN_KEYS];
    free = new int[MIN_KEYS];
    ring = new Batch[batches];
    Arrays.fill(ring, Batch.EMPTY);
    verified = true;
  }

  /** An empty window of {@code batches} batches. */
  static WindowCounts empty(int batches) {
    return new WindowCounts(batches);
  }

  private WindowCounts(WindowCounts from) {
    batches = from.batches;
    keys = from.keys.clone();
    counts = from.counts.clone();
    index = from.index.clone();
    free = from.free.clone();
    freeCount = from.freeCount;
    nextId = from.nextId;
    size = from.size;
    ring = from.ring.clone();
    oldest = from.oldest;
    verified = true;
  }

  /**
   * The window one batch later: {@code batch}'s counts (a key may come more than once; counts of
   * zero are ignored) added, the oldest batch's taken away. This window is not changed.
   *
   * @throws IllegalArgumentException on a negative count (a batch's counts are counts of records)
   */
  WindowCounts advance(Iterator<Tuple2<String, Long>> batch) {
    verify();
    WindowCounts next = new WindowCounts(this);
    next.remove(ring[oldest]);
    next.ring[oldest] = next.add(batch);
    next.oldest = (oldest + 1) % batches;
    if (next.keys.length > MIN_KEYS && next.size < next.keys.length / 4) {
      next.compact();
    }
    return next;
  }

  /** How many keys have a count. */
  int size() {
    verify();
    return size;
  }

  /** How many keys the table has room for. */
  int capacity() {
    return keys.length;
  }

  /** The key's count over the window, 0 if it has none. */
  long count(String key) {
    verify();
    int slot = slotOf(key);
    return index[slot] == 0 ? 0 : counts[index[slot] - 1];
  }

  /** Every key with its count, in no particular order. */
  Iterator<Tuple2<String, Long>> iterator() {
    verify();
    return new Iterator<Tuple2<String, Long>>() {
      private int id = nextLive(0);

      private int nextLive(int from) {
        int i = from;
        while (i < nextId && keys[i] == null) {
          i++;
        }
        return i;
      }

      @Override
      public boolean hasNext() {
        return id < nextId;
      }

      @Override
      public Tuple2<String, Long> next() {
        if (id >= nextId) {
          throw new NoSuchElementException();
        }
        Tuple2<String, Long> kv = new Tuple2<>(keys[id], counts[id]);
        id = nextLive(id + 1);
        return kv;
      }
    };
  }

  private void remove(Batch leaving) {
    for (int i = 0; i < leaving.ids.length; i++) {
      int id = leaving.ids[i];
      long left = counts[id] - leaving.counts[i];
      if (left == 0) {
        forget(id);
      } else {
        counts[id] = left;
      }
    }
  }

  private Batch add(Iterator<Tuple2<String, Long>> batch) {
    int[] ids = null;
    long[] added = null;
    int n = 0;
    while (batch.hasNext()) {
      Tuple2<String, Long> kv = batch.next();
      long c = kv._2();
      if (c == 0) {
        continue;
      }
      if (c < 0) {
        throw new IllegalArgumentException("a negative count in a batch: " + kv);
      }
      int id = numberOf(kv._1());
      counts[id] += c;
      if (ids == null) {
        ids = new int[16];
        added = new long[16];
      } else if (n == ids.length) {
        ids = Arrays.copyOf(ids, 2 * n);
        added = Arrays.copyOf(added, 2 * n);
      }
      ids[n] = id;
      added[n] = c;
      n++;
    }
    return n == 0 ? Batch.EMPTY : new Batch(Arrays.copyOf(ids, n), Arrays.copyOf(added, n));
  }

  /** The key's number, a new one (with a count of zero) if it has none. */
  private int numberOf(String key) {
    int slot = slotOf(key);
    if (index[slot] != 0) {
      return index[slot] - 1;
    }
    int id;
    if (freeCount > 0) {
      id = free[--freeCount];
    } else {
      if (nextId == keys.length) {
        grow();
        slot = slotOf(key);
      }
      id = nextId++;
    }
    keys[id] = key;
    counts[id] = 0;
    index[slot] = id + 1;
    size++;
    return id;
  }

  /** The key's slot in the index, or the empty slot where it would go. */
  private int slotOf(String key) {
    int mask = index.length - 1;
    int slot = spread(key.hashCode()) & mask;
    while (true) {
      int e = index[slot];
      if (e == 0 || keys[e - 1].equals(key)) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Removes key {@code id} from the index (shifting back the slots after it) and frees it. */
  private void forget(int id) {
    int mask = index.length - 1;
    int hole = slotOf(keys[id]);
    int slot = hole;
    while (true) {
      slot = (slot + 1) & mask;
      int e = index[slot];
      if (e == 0) {
        break;
      }
      int home = spread(keys[e - 1].hashCode()) & mask;
      // The entry may fill the hole unless its home lies cyclically in (hole, slot].
      boolean stays = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
      if (!stays) {
        index[hole] = e;
        hole = slot;
      }
    }
    index[hole] = 0;
    keys[id] = null;
    counts[id] = 0;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, 2 * free.length);
    }
    free[freeCount++] = id;
    size--;
  }

  private void grow() {
    int n = 2 * keys.length;
    keys = Arrays.copyOf(keys, n);
    counts = Arrays.copyOf(counts, n);
    rebuildIndex(2 * n);
  }

  private void rebuildIndex(int slots) {
    index = new int[slots];
    int mask = slots - 1;
    for (int id = 0; id < nextId; id++) {
      if (keys[id] != null) {
        int slot = spread(keys[id].hashCode()) & mask;
        while (index[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        index[slot] = id + 1;
      }
    }
  }

  /**
   * Renumbers the keys from 0 into arrays sized for them (at least twice their number), and the
   * ring's batches with them (new arrays: the batches are shared with older windows).
   */
  private void compact() {
    int room = MIN_KEYS;
    while (room < 2 * size) {
      room *= 2;
    }
    int[] renumbered = new int[nextId];
    String[] k = new String[room];
    long[] c = new long[room];
    int n = 0;
    for (int id = 0; id < nextId; id++) {
      if (keys[id] != null) {
        renumbered[id] = n;
        k[n] = keys[id];
        c[n] = counts[id];
        n++;
      }
    }
    keys = k;
    counts = c;
    nextId = n;
    free = new int[MIN_KEYS];
    freeCount = 0;
    rebuildIndex(2 * room);
    for (int i = 0; i < ring.length; i++) {
      Batch b = ring[i];
      if (b.ids.length > 0) {
        int[] ids = new int[b.ids.length];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = renumbered[b.ids[j]];
        }
        ring[i] = new Batch(ids, b.counts);
      }
    }
  }

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  /**
   * Checks, once, a window read back from a checkpoint: every part present and of the right size,
   * every batch's keys numbered in the table with positive counts, each key's count the sum of its
   * batches', the index finding every key and nothing else, the free numbers free.
   */
  private void verify() {
    if (verified) {
      return;
    }
    check(batches > 0 && ring != null && ring.length == batches, "its ring of batches");
    check(oldest >= 0 && oldest < batches, "the position of its oldest batch");
    check(
        keys != null
            && counts != null
            && counts.length == keys.length
            && nextId >= 0
            && nextId <= keys.length,
        "its key table");
    long[] sums = new long[nextId];
    for (Batch b : ring) {
      check(b != null && b.ids != null && b.counts != null, "a batch");
      check(b.ids.length == b.counts.length, "a batch's numbers and counts");
      for (int i = 0; i < b.ids.length; i++) {
        int id = b.ids[i];
        check(id >= 0 && id < nextId && keys[id] != null, "a batch's key number " + id);
        check(b.counts[i] > 0, "a batch's count " + b.counts[i]);
        sums[id] += b.counts[i];
      }
    }
    int live = 0;
    for (int id = 0; id < nextId; id++) {
      check(sums[id] == counts[id], "the count of key number " + id);
      check((keys[id] == null) == (counts[id] == 0), "key number " + id + " and its count");
      if (keys[id] != null) {
        live++;
      }
    }
    check(size == live, "its number of keys");
    for (int id = nextId; id < keys.length; id++) {
      check(keys[id] == null && counts[id] == 0, "the room past its last key number");
    }
    check(
        index != null && index.length >= 2 * keys.length && Integer.bitCount(index.length) == 1,
        "its index");
    int indexed = 0;
    for (int slot = 0; slot < index.length; slot++) {
      int e = index[slot];
      if (e != 0) {
        check(e > 0 && e <= nextId && keys[e - 1] != null, "an index entry " + e);
        check(slotOf(keys[e - 1]) == slot, "the index slot of key number " + (e - 1));
        indexed++;
      }
    }
    check(indexed == live, "the keys in its index");
    check(free != null && freeCount >= 0 && freeCount <= free.length, "its free numbers");
    check(freeCount == nextId - live, "how many numbers are free");
    for (int i = 0; i < freeCount; i++) {
      check(free[i] >= 0 && free[i] < nextId && keys[free[i]] == null, "a free number");
    }
    verified = true;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(
          "the window's state read back from the checkpoint does not fit together ("
              + what
              + "): the checkpoint is damaged");
    }
  }
}
