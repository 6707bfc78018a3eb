package io.trendline.bench;

import io.trendline.process.JavaProcess;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU goes, on Linux: the machine's busy time (/proc/stat), a child process's (its
 * /proc/PID/stat) and this JVM's. Times are in milliseconds; clock ticks are taken as USER_HZ =
 * 100, Linux's value on every common architecture. -1 where a figure cannot be read.
 */
final class Cpu {
  private static final double MS_PER_TICK = 10.0;

  private Cpu() {}

  /** A reading of all three. */
  static final class Snapshot {
    final double machineBusyMs;
    final double childMs;
    final double selfMs;

    /**
     * The child's CPU by thread id, and each thread's {@link #threadGroup}; empty if unreadable.
     */
    final Map<String, Double> childThreadsMs;

    final Map<String, String> childThreadGroups;

    final long nanoTime = System.nanoTime();

    Snapshot(JavaProcess child) {
      this.machineBusyMs = machineBusyMs();
      this.childMs = child == null ? 0 : processMs(child.pid());
      this.childThreadsMs = new TreeMap<>();
      this.childThreadGroups = new TreeMap<>();
      if (child != null) {
        threadsMs(child.pid(), childThreadsMs, childThreadGroups);
      }
      this.selfMs = selfMs();
    }
  }

  /**
   * User and system time of each of a process's threads, by thread id, and each thread's {@link
   * #threadGroup} (from its name as Linux keeps it: the first 15 characters). Left empty when the
   * process cannot be read.
   */
  static void threadsMs(long pid, Map<String, Double> ms, Map<String, String> groups) {
    if (pid < 0) {
      return;
    }
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Paths.get("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks) {
        String stat;
        try {
          stat = new String(Files.readAllBytes(task.resolve("stat")), StandardCharsets.US_ASCII);
        } catch (java.io.IOException gone) {
          continue; // the thread ended while listed
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        String id = task.getFileName().toString();
        ms.put(id, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK);
        groups.put(id, threadGroup(name));
      }
    } catch (Exception e) {
      ms.clear();
      groups.clear();
    }
  }

  /**
   * What a JVM thread does, from its name: the JIT compilers, the garbage collector, Kafka's
   * network threads, Hosebird's, the main thread (the producer's pipeline) or other.
   */
  static String threadGroup(String name) {
    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
      return "jit";
    }
    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
      return "gc+vm";
    }
    if (name.startsWith("kafka-")) {
      return "kafka";
    }
    if (name.startsWith("hosebird-")) {
      return "hosebird";
    }
    if (name.equals("main") || name.equals("java")) {
      return "main";
    }
    return "other";
  }

  /**
   * The CPU each group of threads used between two readings, in ms: each thread's time at b less
   * its time at a (all of it for a thread started since). A thread that ended between the readings
   * is not counted; the JIT's compiler threads come and go, so "jit" may be counted short, never
   * below zero.
   */
  static Map<String, Double> threadsDelta(Snapshot a, Snapshot b) {
    Map<String, Double> d = new TreeMap<>();
    for (Map.Entry<String, Double> e : b.childThreadsMs.entrySet()) {
      double before = a.childThreadsMs.getOrDefault(e.getKey(), 0.0);
      d.merge(b.childThreadGroups.get(e.getKey()), Math.max(0, e.getValue() - before), Double::sum);
    }
    return d;
  }

  /** Busy time of all cores since boot (everything but idle and iowait). */
  static double machineBusyMs() {
    try {
      String first = Files.readAllLines(Paths.get("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = first.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return (total - idle) * MS_PER_TICK;
    } catch (Exception e) {
      return -1;
    }
  }

  /** User and system time of a process. */
  static double processMs(long pid) {
    if (pid < 0) {
      return -1;
    }
    try {
      String stat =
          new String(
              Files.readAllBytes(Paths.get("/proc", String.valueOf(pid), "stat")),
              StandardCharsets.US_ASCII);
      // After "pid (comm) ", fields start at state: utime and stime are the 12th and 13th.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
    } catch (Exception e) {
      return -1;
    }
  }

  static double selfMs() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e6;
    }
    return -1;
  }
}
