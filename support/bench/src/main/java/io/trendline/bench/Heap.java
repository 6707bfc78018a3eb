package io.trendline.bench;

/** Heap figures of this JVM. */
final class Heap {
  private Heap() {}

  /** Heap in use after a full collection, in MB (forces one: call it outside timed regions). */
  static double usedAfterGcMb() {
    System.gc();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
  }
}
