package io.trendline.broker;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts and controls a real Kafka broker ({@link LocalKafkaBroker}) in a child JVM, like a broker
 * on another host: tests and the local runner kill it, restart it on the same ports and data, and
 * stop it. Uses only the JDK, so it can sit on any classpath (Spark's included) without bringing
 * Kafka's server jars along.
 *
 * <p>The child's output goes to {@code broker.log} in the data directory. The child exits when this
 * JVM exits, even abruptly, because it watches the stdin pipe this class holds. Not thread-safe:
 * one owner drives its lifecycle. {@link #close()} stops the broker.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
  private static final long READY_TIMEOUT_MS = 90_000;
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final Path dataDir;
  private final Map<String, Integer> topics;
  private final List<String> jvmOptions;
  private final Path saslSsl;
  private Process process;
  private int port;
  private int zkPort;
  private int saslSslPort;

  private KafkaBrokerProcess(
      Path dataDir, Map<String, Integer> topics, List<String> jvmOptions, Path saslSsl) {
    this.dataDir = dataDir;
    this.topics = topics;
    this.jvmOptions = jvmOptions;
    this.saslSsl = saslSsl;
  }

  /** A builder for a broker whose data lives in {@code dataDir} (created if missing). */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** Starts a broker with no topics, on free ports. */
  public static KafkaBrokerProcess start(Path dataDir) {
    return builder(dataDir).start();
  }

  /** Configures and starts a broker. */
  public static final class Builder {
    private final Path dataDir;
    private final Map<String, Integer> topics = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path saslSsl;

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
      jvmOptions.add("-Xmx512m");
    }

    /** A topic created (if missing) before the broker is reported ready. */
    public Builder topic(String name, int partitions) {
      topics.put(name, partitions);
      return this;
    }

    /** Extra options for the broker's JVM. */
    public Builder jvmOption(String option) {
      jvmOptions.add(option);
      return this;
    }

    /**
     * Also a listener that requires SASL (PLAIN) over TLS, configured by {@code
     * brokerSecurityProperties} (its keystore and {@code
     * listener.name.sasl_ssl.plain.sasl.jaas.config} with the users): see {@link
     * #saslSslBootstrapServers()}.
     */
    public Builder saslSsl(Path brokerSecurityProperties) {
      this.saslSsl = brokerSecurityProperties;
      return this;
    }

    /** Starts the broker and waits until it serves (at most 90 s). */
    public KafkaBrokerProcess start() {
      KafkaBrokerProcess broker = new KafkaBrokerProcess(dataDir, topics, jvmOptions, saslSsl);
      broker.launch(0, 0);
      return broker;
    }
  }

  /** {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT} of the SASL_SSL listener; only when built with one. */
  public String saslSslBootstrapServers() {
    if (saslSsl == null) {
      throw new IllegalStateException("this broker has no SASL_SSL listener");
    }
    return "127.0.0.1:" + saslSslPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return dataDir.resolve("broker.log");
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the broker at once (SIGKILL), as a crash would: nothing is flushed or closed. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(process, STOP_TIMEOUT_MS);
      process = null;
    }
  }

  /** Stops the broker cleanly (SIGTERM), waiting up to 30 s before killing it. */
  public void stop() {
    if (process != null) {
      process.destroy();
      if (!waitFor(process, STOP_TIMEOUT_MS)) {
        process.destroyForcibly();
        waitFor(process, STOP_TIMEOUT_MS);
      }
      process = null;
    }
  }

  /** Starts the broker again on the same ports and data, after {@link #kill} or {@link #stop}. */
  public void restart() {
    stop();
    launch(port, zkPort);
  }

  @Override
  public void close() {
    stop();
  }

  private void launch(int brokerPort, int zookeeperPort) {
    try {
      Files.createDirectories(dataDir);
      Path readyFile = dataDir.resolve("ready");
      Files.deleteIfExists(readyFile);
      List<String> cmd = new ArrayList<>();
      cmd.add(javaExecutable());
      cmd.addAll(jvmOptions);
      cmd.add("-cp");
      cmd.add(brokerClasspath());
      cmd.add(LocalKafkaBroker.class.getName());
      cmd.add("--data-dir");
      cmd.add(dataDir.toString());
      cmd.add("--port");
      cmd.add(String.valueOf(brokerPort));
      cmd.add("--zk-port");
      cmd.add(String.valueOf(zookeeperPort));
      for (Map.Entry<String, Integer> t : topics.entrySet()) {
        cmd.add("--topic");
        cmd.add(t.getKey() + ":" + t.getValue());
      }
      if (saslSsl != null) {
        cmd.add("--sasl-ssl");
        cmd.add(saslSsl.toString());
        cmd.add("--sasl-ssl-port");
        cmd.add(String.valueOf(saslSslPort));
      }
      cmd.add("--ready-file");
      cmd.add(readyFile.toString());
      cmd.add("--exit-on-stdin-eof");
      File log = logFile().toFile();
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
      String ready = awaitReady(readyFile);
      // "TRENDLINE-BROKER READY 127.0.0.1:PORT zk=127.0.0.1:ZKPORT"
      String[] parts = ready.substring(LocalKafkaBroker.READY_PREFIX.length()).trim().split(" ");
      port = Integer.parseInt(parts[0].substring(parts[0].lastIndexOf(':') + 1));
      zkPort = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
      if (saslSsl != null) {
        saslSslPort = Integer.parseInt(parts[2].substring(parts[2].lastIndexOf(':') + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker in " + dataDir, e);
    }
  }

  private String awaitReady(Path readyFile) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
    while (System.nanoTime() < deadline) {
      if (Files.exists(readyFile)) {
        List<String> lines = Files.readAllLines(readyFile, StandardCharsets.UTF_8);
        if (!lines.isEmpty()) {
          return lines.get(0);
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited with code " + process.exitValue() + "; " + tail());
      }
      try {
        process.waitFor(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IllegalStateException("interrupted while the Kafka broker started");
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the Kafka broker was not ready within " + READY_TIMEOUT_MS / 1000 + " s; " + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      int from = Math.max(0, lines.size() - 15);
      return "last lines of "
          + logFile()
          + ":\n"
          + String.join("\n", lines.subList(from, lines.size()));
    } catch (IOException e) {
      return "see " + logFile();
    }
  }

  private static boolean waitFor(Process p, long timeoutMs) {
    try {
      return p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This jar (or classes directory) plus the broker's dependencies, recorded at build time. */
  static String brokerClasspath() throws IOException {
    String self;
    try {
      self =
          Paths.get(
                  KafkaBrokerProcess.class
                      .getProtectionDomain()
                      .getCodeSource()
                      .getLocation()
                      .toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException("cannot locate the broker's own jar", e);
    }
    InputStream in = KafkaBrokerProcess.class.getResourceAsStream("broker-classpath.txt");
    if (in == null) {
      throw new IOException("broker-classpath.txt is missing from the broker jar; rebuild it");
    }
    String recorded;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      recorded = r.readLine();
    }
    if (recorded == null || recorded.trim().isEmpty()) {
      throw new IOException("broker-classpath.txt in the broker jar is empty; rebuild it");
    }
    for (String entry : recorded.trim().split(File.pathSeparator)) {
      if (!Files.exists(Paths.get(entry))) {
        throw new IOException(
            "the broker's dependency " + entry + " is missing; run mvn install in the project");
      }
    }
    return self + File.pathSeparator + recorded.trim();
  }
}
