package io.trendline.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A component (the stream server, the producer jar, a benchmark's baseline...) in a JVM of its own,
 * started with this JVM's {@code java}, its standard output and error in one log file. Not
 * thread-safe: one owner drives it; {@link #close()} stops it.
 */
public final class JavaProcess implements AutoCloseable {
  private final String name;
  private final Path log;
  private final Process process;

  private JavaProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code java ARGS...} (JVM options first, then {@code -jar JAR} or a main class and its
   * arguments) with {@code env} added to this JVM's environment, both output streams written to
   * {@code log} (replaced if it exists). {@code name} names it in messages.
   */
  public static JavaProcess start(
      String name, List<String> args, Map<String, String> env, Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    try {
      return new JavaProcess(name, log, pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the " + name, e);
    }
  }

  /** The {@code java} of the running JVM. */
  public static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until a line of the log matches {@code pattern}; returns its first group (or the whole
   * line). Fails with the log's last lines if the process exits or {@code timeoutMs} passes.
   */
  public String awaitLine(Pattern pattern, long timeoutMs) {
    String[] found = {null};
    await(
        () -> {
          for (String line : readLog()) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
              found[0] = m.groupCount() > 0 ? m.group(1) : line;
              return true;
            }
          }
          return false;
        },
        "start",
        timeoutMs);
    return found[0];
  }

  /**
   * Waits until {@code condition} holds, checking it every 100 ms while the process runs. Fails
   * with the log's last lines if the process exits first or {@code timeoutMs} passes ("the NAME did
   * not {@code what} within N s").
   */
  public void await(BooleanSupplier condition, String what, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the " + name + " exited with code " + process.exitValue() + "; " + tail(20));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the " + name + " did not " + what + " within " + timeoutMs / 1000 + " s; " + tail(20));
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the " + name);
      }
    }
  }

  /** The log's lines so far; empty if it cannot be read. */
  public List<String> readLog() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new ArrayList<>();
    }
  }

  /** The log's last {@code lines} lines, headed with its path, for error messages. */
  public String tail(int lines) {
    List<String> all = readLog();
    return "last lines of "
        + log
        + ":\n"
        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Asks the process to stop (SIGTERM, so its shutdown hooks run), waits up to {@code timeoutMs},
   * then kills it. Returns the exit code, or -1 if it could not be stopped. An interrupt kills it
   * at once.
   */
  public int stop(long timeoutMs) {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /**
   * Kills the process at once (SIGKILL), as a crash would: no shutdown hook runs, nothing is
   * flushed. Waits up to {@code timeoutMs} for it to be gone; returns the exit code (137), or -1.
   */
  public int kill(long timeoutMs) {
    process.destroyForcibly();
    try {
      process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return process.isAlive() ? -1 : process.exitValue();
  }

  /** Waits for the process to end by itself; false on timeout. */
  public boolean waitFor(long timeoutMs) throws InterruptedException {
    return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** The process id (Java 9+), or -1. */
  public long pid() {
    try {
      Method pid = Process.class.getMethod("pid");
      return (Long) pid.invoke(process);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident memory in MB from /proc (Linux, Java 9+), or -1 where that cannot be read. */
  public double residentMb() {
    try {
      Path status = Paths.get("/proc", String.valueOf(pid()), "status");
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Stops it, giving it 10 s to exit by itself. */
  @Override
  public void close() {
    stop(10_000);
  }
}
