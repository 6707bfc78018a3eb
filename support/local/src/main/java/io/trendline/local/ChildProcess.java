package io.trendline.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One component of a local run (the stream server, the producer, the consumer) in a JVM of its own,
 * its output in a log file. Started with a run marker ({@code -Dtrendline.run=ID}) on its command
 * line, so that a test can check that no process of a run outlives it. Not thread-safe: one owner
 * drives it.
 */
final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Path log;
  private final Process process;

  private ChildProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code java [jvmOptions] -Dtrendline.run=RUN args...}, output (both streams) appended to
   * {@code log}.
   */
  static ChildProcess startJava(
      String name,
      String runId,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-Dtrendline.run=" + runId);
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    try {
      return new ChildProcess(name, log, pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the " + name, e);
    }
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until a line of the log matches {@code pattern}; returns its first group (or the whole
   * line). Fails with the log's last lines if the process exits or time runs out.
   */
  String awaitLine(Pattern pattern, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (true) {
      for (String line : readLog()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.groupCount() > 0 ? m.group(1) : line;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the " + name + " exited with code " + process.exitValue() + "; " + tail(20));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the " + name + " did not start within " + timeoutMs / 1000 + " s; " + tail(20));
      }
      try {
        process.waitFor(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the " + name);
      }
    }
  }

  List<String> readLog() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new ArrayList<>();
    }
  }

  String tail(int lines) {
    List<String> all = readLog();
    return "last lines of "
        + log
        + ":\n"
        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Asks the process to stop (SIGTERM, so its shutdown hooks run), waits up to {@code timeoutMs},
   * then kills it. Returns the exit code.
   */
  int stop(long timeoutMs) {
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

  /** Waits for the process to end by itself. */
  boolean waitFor(long timeoutMs) throws InterruptedException {
    return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() {
    stop(10_000);
  }

  /** The classpath separator, for building -cp values. */
  static String pathSeparator() {
    return File.pathSeparator;
  }
}
