package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.broker.KafkaBrokerProcess;
import io.trendline.process.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka security for real: a broker whose listener requires SASL (PLAIN) over TLS, with a
 * certificate made here with keytool, and both applications' jars configured the standard way (the
 * JAAS configuration naming Kafka's own login module; the consumer's in its settings file, the
 * producer's in its environment). Right credentials produce and consume; a wrong password is one
 * line and exit code 3.
 */
class KafkaSecurityIT {
  private static final Path HOME =
      Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
  private static final Layout LAYOUT = new Layout(HOME);
  // Test-only values for a keystore and users made for this run.
  private static final String STORE_PASSWORD = "store-pass-it";
  private static final String ALICE_PASSWORD = "alice-pass-it";

  private static Path dir;
  private static Path truststore;
  private static KafkaBrokerProcess broker;

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(readAll(p), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
  }

  private static byte[] readAll(Process p) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; (n = p.getInputStream().read(buffer)) > 0; ) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static String jaas(String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\""
        + " password=\""
        + password
        + "\";";
  }

  @BeforeAll
  static void startBroker() throws Exception {
    dir = Files.createTempDirectory("security-it");
    Path keystore = dir.resolve("broker.p12");
    Path cert = dir.resolve("broker.pem");
    truststore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "broker",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    keytool(
        "-exportcert",
        "-alias",
        "broker",
        "-rfc",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        STORE_PASSWORD);
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "broker",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        STORE_PASSWORD);
    Path security =
        Files.write(
            dir.resolve("broker-security.properties"),
            Arrays.asList(
                "ssl.keystore.location=" + keystore,
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.password=" + STORE_PASSWORD,
                "ssl.key.password=" + STORE_PASSWORD,
                "listener.name.sasl_ssl.plain.sasl.jaas.config="
                    + "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"admin\" password=\"admin-pass-it\""
                    + " user_admin=\"admin-pass-it\" user_alice=\""
                    + ALICE_PASSWORD
                    + "\";"),
            StandardCharsets.UTF_8);
    broker =
        KafkaBrokerProcess.builder(dir.resolve("kafka"))
            .topic("tweets", 3)
            .topic("denied", 1)
            .saslSsl(security)
            .start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** The client settings every Kafka user writes for SASL_SSL, as flags. */
  private static List<String> clientFlags(String prefix) {
    return Arrays.asList(
        "--" + prefix + "bootstrap.servers", broker.saslSslBootstrapServers(),
        "--" + prefix + "security.protocol", "SASL_SSL",
        "--" + prefix + "sasl.mechanism", "PLAIN",
        "--" + prefix + "ssl.truststore.location", truststore.toString(),
        "--" + prefix + "ssl.truststore.type", "PKCS12");
  }

  private static JavaProcess producer(String name, String password, String topic) throws Exception {
    Path capture = dir.resolve("capture.jsonl");
    List<String> statuses = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      statuses.add(
          "{\"id\":" + i + ",\"id_str\":\"" + i + "\",\"text\":\"bitcoin number " + i + "\"}");
    }
    Files.write(capture, statuses, StandardCharsets.UTF_8);
    List<String> cmd =
        new ArrayList<>(
            Arrays.asList(
                "-Xmx256m",
                "-jar",
                LAYOUT.producerJar().toString(),
                "--source",
                "file",
                "--input",
                capture.toString(),
                "--keywords",
                "bitcoin",
                "--topic",
                topic,
                "--startup.timeout",
                "20s"));
    cmd.addAll(clientFlags("kafka."));
    Map<String, String> env = new HashMap<>();
    env.put("TRENDLINE_PRODUCER_KAFKA_SASL_JAAS_CONFIG", jaas(password));
    env.put("TRENDLINE_PRODUCER_KAFKA_SSL_TRUSTSTORE_PASSWORD", STORE_PASSWORD);
    return JavaProcess.start(name, cmd, env, dir.resolve(name + ".log"));
  }

  private static JavaProcess consumer(String name, String password) throws Exception {
    Path config =
        Files.write(
            dir.resolve(name + ".properties"),
            Arrays.asList(
                "kafka.sasl.jaas.config=" + jaas(password),
                "kafka.ssl.truststore.password=" + STORE_PASSWORD),
            StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>(Arrays.asList("-Xmx1g", "-Dspark.driver.host=127.0.0.1"));
    cmd.addAll(SparkLocal.jvmOptions());
    cmd.addAll(
        Arrays.asList(
            "-cp",
            LAYOUT.consumerClasspath(),
            "io.trendline.consumer.TrendsApp",
            "--config",
            config.toString(),
            "--spark.master",
            "local[2]",
            "--spark.ui.port",
            "0",
            "--kafka.auto.offset.reset",
            "earliest",
            "--kafka.group.id",
            name,
            "--startup.timeout",
            "20s",
            "--checkpoint.dir",
            dir.resolve("ckpt-" + name).toString()));
    cmd.addAll(clientFlags("kafka."));
    return JavaProcess.start(
        name, cmd, Collections.<String, String>emptyMap(), dir.resolve(name + ".log"));
  }

  /** The run ends by itself with exit code 3 and one line saying why, the password not in it. */
  private static void assertRefusedInOneLine(JavaProcess p, String password) throws Exception {
    assertTrue(p.waitFor(120_000), p.tail(30));
    assertEquals(3, p.exitValue(), p.tail(30));
    List<String> errors = new ArrayList<>();
    for (String line : p.readLog()) {
      if (line.startsWith("error:")) {
        errors.add(line);
      }
    }
    assertEquals(1, errors.size(), p.tail(30));
    assertTrue(
        errors.get(0).startsWith("error: cannot use Kafka at " + broker.saslSslBootstrapServers()),
        errors.get(0));
    assertFalse(String.join("\n", p.readLog()).contains(password), p.tail(30));
  }

  @Test
  void bothJarsWorkWithAStandardSaslSslConfigurationAndAWrongPasswordIsOneLine() throws Exception {
    try (JavaProcess p = producer("producer", ALICE_PASSWORD, "tweets")) {
      assertTrue(p.waitFor(120_000), p.tail(30));
      assertEquals(0, p.exitValue(), p.tail(30));
      assertTrue(
          String.join("\n", p.readLog()).contains("Records sent 5, acknowledged 5, failed 0"),
          p.tail(30));
    }
    try (JavaProcess p = producer("producer-wrong", "not-the-password", "denied")) {
      assertRefusedInOneLine(p, "not-the-password");
    }

    try (JavaProcess c = consumer("consumer", ALICE_PASSWORD)) {
      // The console table's row for the keyword, once all five records are in the window.
      c.await(
          () -> c.readLog().stream().anyMatch(l -> l.matches("\\s*1\\s+bitcoin\\s+5")),
          "rank the five records",
          180_000);
      assertSecretNotShownBy(c);
    }
    // Stopped first, so that no checkpoint file is being written or renamed while it is read.
    assertSecretInNoFile();
    try (JavaProcess c = consumer("consumer-wrong", "not-the-password")) {
      assertRefusedInOneLine(c, "not-the-password");
    }
  }

  /**
   * The SASL password, planted in the consumer's settings file and the producer's environment, is
   * not in the running consumer's argument list, nor on its Spark UI's environment page, nor in the
   * E-MapReduce job string for its settings.
   */
  private static void assertSecretNotShownBy(JavaProcess consumer) throws Exception {
    byte[] secret = ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8);
    byte[] cmdline =
        Files.readAllBytes(Paths.get("/proc", String.valueOf(consumer.pid()), "cmdline"));
    assertTrue(contains(cmdline, "TrendsApp".getBytes(StandardCharsets.UTF_8)));
    assertFalse(contains(cmdline, secret), "the password is in the consumer's argument list");

    String ui = null;
    for (String line : consumer.readLog()) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("started at http://[^:/]+:(\\d+)").matcher(line);
      if (m.find()) {
        ui = "http://127.0.0.1:" + m.group(1) + "/environment/";
      }
    }
    assertTrue(ui != null, "the Spark UI's address is logged");
    java.net.HttpURLConnection http =
        (java.net.HttpURLConnection) new java.net.URL(ui).openConnection();
    http.setConnectTimeout(30_000);
    http.setReadTimeout(30_000);
    byte[] page;
    try (java.io.InputStream in = http.getInputStream()) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      page = out.toByteArray();
    }
    assertTrue(contains(page, "sun.java.command".getBytes(StandardCharsets.UTF_8)), ui);
    assertFalse(contains(page, secret), "the password is on the Spark UI's environment page");

    Process emr =
        new ProcessBuilder(
                HOME.resolve("scripts/emr-job.sh").toString(),
                "--jar",
                "ossref://bucket/trendline/trendline-consumer.jar",
                "--config",
                dir.resolve("consumer.properties").toString())
            .redirectErrorStream(true)
            .start();
    byte[] emrOut = readAll(emr);
    assertTrue(emr.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, emr.exitValue(), "the job string is refused: it would show the secret");
    assertFalse(contains(emrOut, secret), "the password is in the E-MapReduce job string");
  }

  /**
   * Nor in any file the run wrote: logs, status and checkpoint files (decompressed); and the
   * truststore password, also from the settings file, in no checkpoint file.
   */
  private static void assertSecretInNoFile() throws Exception {
    byte[] secret = ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8);
    List<Path> places = new ArrayList<>();
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().endsWith(".properties"))
          .forEach(places::add);
    }
    int checkpoints = 0;
    for (Path f : places) {
      byte[] content;
      try {
        content = Files.readAllBytes(f);
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // a temporary file (the broker still runs), since renamed into one that is read
      }
      if (f.getFileName().toString().matches("checkpoint-\\d+(\\.bk)?")) {
        checkpoints++;
        content = lz4(content); // as Spark writes the graph's metadata
        assertFalse(
            contains(content, STORE_PASSWORD.getBytes(StandardCharsets.UTF_8)),
            "the truststore password is in " + f);
      }
      assertFalse(contains(content, secret), "the password is in " + f);
    }
    assertTrue(checkpoints > 0, "checkpoint files were read");
  }

  private static byte[] lz4(byte[] compressed) throws Exception {
    try (java.io.InputStream in =
        new org.apache.spark.io.LZ4CompressionCodec(new org.apache.spark.SparkConf())
            .compressedInputStream(new java.io.ByteArrayInputStream(compressed))) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
