package io.trendline.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM the benchmark starts, its output in a log file; measured by its resident memory. */
public final class Child implements AutoCloseable {
  private final Process process;
  private final Path log;

  private Child(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java OPTIONS...} with {@code env} added, output to {@code log}. */
  public static Child java(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new Child(pb.start(), log);
  }

  /** Credentials for the local stream server, which only checks that requests are signed. */
  public static Map<String, String> throwawayCredentials() {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("TWITTER_CONSUMER_KEY", "bench");
    env.put("TWITTER_CONSUMER_SECRET", "bench");
    env.put("TWITTER_ACCESS_TOKEN", "bench");
    env.put("TWITTER_ACCESS_TOKEN_SECRET", "bench");
    return env;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** Waits for the process to end; false on timeout. */
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

  /** SIGTERM, then SIGKILL after {@code graceMs}; an interrupt kills it at once. */
  public void stop(long graceMs) {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop(10_000);
  }
}
