package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

class WindowCountsTest {
  private static Iterator<Tuple2<String, Long>> batch(Object... keysAndCounts) {
    List<Tuple2<String, Long>> out = new ArrayList<>();
    for (int i = 0; i < keysAndCounts.length; i += 2) {
      out.add(new Tuple2<>((String) keysAndCounts[i], ((Number) keysAndCounts[i + 1]).longValue()));
    }
    return out.iterator();
  }

  private static Map<String, Long> asMap(WindowCounts w) {
    Map<String, Long> out = new TreeMap<>();
    Iterator<Tuple2<String, Long>> it = w.iterator();
    while (it.hasNext()) {
      Tuple2<String, Long> kv = it.next();
      Long before = out.put(kv._1(), kv._2());
      assertEquals(null, before, "a key listed twice: " + kv._1());
    }
    assertEquals(out.size(), w.size());
    for (Map.Entry<String, Long> e : out.entrySet()) {
      assertEquals((long) e.getValue(), w.count(e.getKey()), e.getKey());
    }
    return out;
  }

  @Test
  void aBatchCountsUntilItLeavesTheWindowAndAKeyAtZeroIsForgotten() {
    WindowCounts w = WindowCounts.empty(3);
    w = w.advance(batch("a", 2, "b", 1));
    assertEquals("{a=2, b=1}", asMap(w).toString());
    w = w.advance(batch("a", 1));
    w = w.advance(batch());
    assertEquals("{a=3, b=1}", asMap(w).toString(), "three batches: all still in");
    w = w.advance(batch("c", 1, "c", 4));
    assertEquals("{a=1, c=5}", asMap(w).toString(), "the first left; a key twice in a batch adds");
    assertEquals(0, w.count("b"));
    w = w.advance(batch());
    assertEquals("{c=5}", asMap(w).toString());
    w = w.advance(batch("zero", 0));
    w = w.advance(batch());
    assertEquals("{}", asMap(w).toString(), "every batch has left; a zero count adds no key");
    assertEquals(0, w.size());
  }

  @Test
  void advancingLeavesTheWindowItCameFromAsItWas() {
    WindowCounts w1 = WindowCounts.empty(2).advance(batch("a", 1, "b", 2));
    WindowCounts w2 = w1.advance(batch("a", 5, "c", 1));
    WindowCounts w3 = w2.advance(batch("d", 1));
    WindowCounts w2again = w1.advance(batch("a", 5, "c", 1));
    assertEquals("{a=1, b=2}", asMap(w1).toString());
    assertEquals("{a=6, b=2, c=1}", asMap(w2).toString());
    assertEquals("{a=5, c=1, d=1}", asMap(w3).toString());
    assertEquals(asMap(w2), asMap(w2again), "a retried advance gives the same window");
  }

  @Test
  void aNegativeCountIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> WindowCounts.empty(2).advance(batch("a", -1)));
    assertEquals("a negative count in a batch: (a,-1)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WindowCounts.empty(0));
  }

  /**
   * Against the definition, on random batches: many keys (the table grows), keys coming and going
   * (numbers freed and reused, slots shifted back in the index), keys with equal hash codes, and a
   * window that is serialized and read back (as from a checkpoint) along the way.
   */
  @Test
  void equalsTheSumOfTheWindowsBatchesOnRandomBatches() throws Exception {
    Random random = new Random(42);
    // "Aa" and "BB" have the same hash code: so do all strings made of them, of equal length.
    String[] colliding = new String[64];
    for (int i = 0; i < colliding.length; i++) {
      StringBuilder sb = new StringBuilder();
      for (int bit = 0; bit < 6; bit++) {
        sb.append((i >> bit & 1) == 0 ? "Aa" : "BB");
      }
      colliding[i] = sb.toString();
    }
    for (int windowBatches : new int[] {1, 2, 7, 40}) {
      WindowCounts w = WindowCounts.empty(windowBatches);
      Deque<Map<String, Long>> inWindow = new ArrayDeque<>();
      for (int step = 0; step < 400; step++) {
        int phase = step / 50 % 4; // few keys, many, colliding, none: keys come and go
        int records = phase == 3 ? 0 : random.nextInt(phase == 1 ? 3000 : 30);
        Map<String, Long> b = new HashMap<>();
        List<Tuple2<String, Long>> in = new ArrayList<>();
        for (int r = 0; r < records; r++) {
          String key =
              phase == 0
                  ? "k" + random.nextInt(5)
                  : phase == 1 ? "n" + random.nextInt(5000) : colliding[random.nextInt(64)];
          long c = 1 + random.nextInt(3);
          b.merge(key, c, Long::sum);
          in.add(new Tuple2<>(key, c));
        }
        Collections.shuffle(in, random);
        w = w.advance(in.iterator());
        inWindow.addLast(b);
        if (inWindow.size() > windowBatches) {
          inWindow.removeFirst();
        }
        Map<String, Long> expected = new TreeMap<>();
        for (Map<String, Long> m : inWindow) {
          for (Map.Entry<String, Long> e : m.entrySet()) {
            expected.merge(e.getKey(), e.getValue(), Long::sum);
          }
        }
        assertEquals(expected, asMap(w), "window of " + windowBatches + " at step " + step);
        if (step % 97 == 0) {
          w = roundTrip(w);
          assertEquals(expected, asMap(w), "read back at step " + step);
        }
      }
    }
  }

  @Test
  void aBurstOfKeysDoesNotLeaveTheTableLargeAndCountsStayExact() {
    WindowCounts w = WindowCounts.empty(3);
    List<Tuple2<String, Long>> burst = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      burst.add(new Tuple2<>("spam" + i, 1L));
    }
    w = w.advance(burst.iterator());
    w = w.advance(batch("a", 2));
    assertEquals(10_001, w.size());
    assertTrue(w.capacity() >= 10_001);
    w = w.advance(batch("a", 1, "b", 1));
    w = w.advance(batch("b", 4));
    assertEquals("{a=3, b=5}", asMap(w).toString(), "the burst has left");
    assertTrue(w.capacity() <= 16, "the table shrank: room for " + w.capacity());
    w = w.advance(batch());
    w = w.advance(batch());
    assertEquals("{b=4}", asMap(w).toString(), "the batches renumbered as it shrank still leave");
  }

  /** A window whose parts do not fit together, as from a damaged checkpoint, is refused. */
  @Test
  void aDamagedWindowReadBackIsRefusedWhenUsed() throws Exception {
    WindowCounts w =
        WindowCounts.empty(3).advance(batch("a", 2, "b", 1)).advance(batch("a", 1, "c", 5));
    assertEquals("{a=3, b=1, c=5}", asMap(roundTrip(w)).toString(), "read back whole");
    String[][] damages = {
      {"counts", "the count of key number"},
      {"ring", "a batch's key number"},
      {"index", "an index entry"},
      {"size", "its number of keys"},
      {"oldest", "the position of its oldest batch"},
    };
    for (String[] damage : damages) {
      WindowCounts read = roundTrip(w);
      damage(read, damage[0]);
      IllegalStateException e = assertThrows(IllegalStateException.class, read::iterator);
      assertTrue(e.getMessage().contains(damage[1]), damage[0] + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("the checkpoint is damaged"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> read.advance(batch("a", 1)));
    }
  }

  private static void damage(WindowCounts w, String field) throws Exception {
    java.lang.reflect.Field f = WindowCounts.class.getDeclaredField(field);
    f.setAccessible(true);
    switch (field) {
      case "counts":
        ((long[]) f.get(w))[0] += 1;
        break;
      case "ring":
        Object[] ring = (Object[]) f.get(w);
        for (Object batch : ring) {
          java.lang.reflect.Field ids = batch.getClass().getDeclaredField("ids");
          ids.setAccessible(true);
          int[] numbers = (int[]) ids.get(batch);
          if (numbers.length > 0) {
            numbers[0] = 99;
            return;
          }
        }
        throw new AssertionError("no batch to damage");
      case "index":
        int[] index = (int[]) f.get(w);
        for (int i = 0; i < index.length; i++) {
          if (index[i] == 0) {
            index[i] = 77;
            return;
          }
        }
        throw new AssertionError("no empty slot");
      default:
        f.setInt(w, f.getInt(w) + 7);
    }
  }

  private static byte[] serialize(WindowCounts w) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(w);
    }
    return bytes.toByteArray();
  }

  private static WindowCounts deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (WindowCounts) in.readObject();
    }
  }

  private static WindowCounts roundTrip(WindowCounts w) throws Exception {
    return deserialize(serialize(w));
  }
}
