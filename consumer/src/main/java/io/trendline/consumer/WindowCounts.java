package io.trendline.consumer;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
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
 * Keys are numbered in the table and a batch holds its keys' numbers; a number is reused only once
 * its key's count is zero, i.e. once no batch in the ring holds it.
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
  }

  /**
   * The window one batch later: {@code batch}'s counts (a key may come more than once; counts of
   * zero are ignored) added, the oldest batch's taken away. This window is not changed.
   *
   * @throws IllegalArgumentException on a negative count (a batch's counts are counts of records)
   */
  WindowCounts advance(Iterator<Tuple2<String, Long>> batch) {
    WindowCounts next = new WindowCounts(this);
    next.remove(ring[oldest]);
    next.ring[oldest] = next.add(batch);
    next.oldest = (oldest + 1) % batches;
    return next;
  }

  /** How many keys have a count. */
  int size() {
    return size;
  }

  /** The key's count over the window, 0 if it has none. */
  long count(String key) {
    int slot = slotOf(key);
    return index[slot] == 0 ? 0 : counts[index[slot] - 1];
  }

  /** Every key with its count, in no particular order. */
  Iterator<Tuple2<String, Long>> iterator() {
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

  private static int spread(int h) {
    int x = h * 0x9E3779B9;
    return x ^ (x >>> 16);
  }

  /** A window read back from a checkpoint is checked before it is used. */
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (batches <= 0
        || ring == null
        || ring.length != batches
        || oldest < 0
        || oldest >= batches
        || keys == null
        || counts == null
        || counts.length != keys.length
        || index == null
        || index.length < 2 * keys.length
        || Integer.bitCount(index.length) != 1
        || free == null
        || nextId > keys.length
        || freeCount > free.length) {
      throw new InvalidObjectException("a window's counts that do not fit together");
    }
  }
}
