package io.trendline.bench;

import io.trendline.process.JavaProcess;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

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
    final long nanoTime = System.nanoTime();

    Snapshot(JavaProcess child) {
      this.machineBusyMs = machineBusyMs();
      this.childMs = child == null ? 0 : processMs(child.pid());
      this.selfMs = selfMs();
    }
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
