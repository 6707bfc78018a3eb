package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.broker.KafkaBrokerProcess;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.util.ConverterUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consumer jar a user submits, through Spark's own {@code SparkSubmit} with {@code --master
 * yarn --deploy-mode cluster}, on a real YARN mini-cluster with its checkpoint on a real HDFS
 * mini-cluster, reading a real Kafka broker (Spark 2.4 on Hadoop 2; with {@code -Pspark3}, the
 * Spark 3 jar with Spark 3.5 on Hadoop 3): the rankings it emits count exactly what was produced,
 * and a stop file on HDFS stops it gracefully, which YARN reports as a success.
 */
class YarnSubmitIT {
  private static Path dir;
  private static MiniDFSCluster dfs;
  private static MiniYARNCluster yarn;
  private static KafkaBrokerProcess broker;
  private static Path hadoopConfDir;
  private static String hdfsUri;
  private static Path sparkSubmit;
  private static final Path HOME =
      Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
  private static final Layout LAYOUT = new Layout(HOME);

  /** The Spark line under test: 2 (Spark 2.4, Hadoop 2), or 3 in the -Pspark3 build. */
  private static final String SPARK_MAJOR = System.getProperty("trendline.spark.major", "2");

  @BeforeAll
  static void startClusters() throws Exception {
    dir = Files.createTempDirectory("yarn-it");
    broker =
        KafkaBrokerProcess.builder(dir.resolve("kafka"))
            .topic("tweets", 3)
            .topic("trends", 1)
            .topic("trends-emr", 1)
            .start();
    produce(SENT);

    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    hdfsUri = dfs.getFileSystem().getUri().toString();

    YarnConfiguration yconf = new YarnConfiguration(dfs.getConfiguration(0));
    yconf.set(
        "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100");
    yconf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
    yconf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
    yconf.setInt("yarn.scheduler.minimum-allocation-mb", 256);
    // One queue for everything; Hadoop 3's shaded mini-cluster ships no capacity-scheduler.xml.
    yconf.set("yarn.scheduler.capacity.root.queues", "default");
    yconf.set("yarn.scheduler.capacity.root.default.capacity", "100");
    yconf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
    yconf.setInt("yarn.nodemanager.resource.memory-mb", 6144);
    yconf.setInt("yarn.nodemanager.resource.cpu-vcores", 4);
    yarn = new MiniYARNCluster("trendline", 1, 1, 1);
    yarn.init(yconf);
    yarn.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (yarn.getResourceManager().getRMContext().getRMNodes().isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "a NodeManager registers");
      Thread.sleep(100); // polling interval of a condition with a deadline
    }

    // What an operator's HADOOP_CONF_DIR holds: the cluster's addresses.
    hadoopConfDir = Files.createDirectories(dir.resolve("hadoop-conf"));
    Configuration client = new Configuration(yarn.getConfig());
    client.set("fs.defaultFS", hdfsUri);
    // MiniDFSCluster's rack mapping is a class of Hadoop's test jar, absent from a real client.
    client.set("net.topology.node.switch.mapping.impl", "org.apache.hadoop.net.ScriptBasedMapping");
    for (String name : new String[] {"core-site.xml", "yarn-site.xml", "hdfs-site.xml"}) {
      try (OutputStream out = Files.newOutputStream(hadoopConfDir.resolve(name))) {
        client.writeXml(out);
      }
    }

    // bin/spark-submit of a Spark installation: SparkSubmit on Spark's jars, with
    // HADOOP_CONF_DIR on the classpath, where Hadoop reads the cluster's addresses.
    sparkSubmit = Files.createDirectories(dir.resolve("bin")).resolve("spark-submit");
    Files.write(
        sparkSubmit,
        Arrays.asList(
            "#!/bin/sh",
            "exec '"
                + Paths.get(System.getProperty("java.home"), "bin", "java")
                + "' -Xmx512m -cp \"$HADOOP_CONF_DIR:"
                + LAYOUT.sparkLib()
                + "/*\" org.apache.spark.deploy.SparkSubmit \"$@\""),
        StandardCharsets.UTF_8);
    sparkSubmit.toFile().setExecutable(true);
  }

  @AfterAll
  static void stopClusters() {
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** What both submissions are sent, once. */
  private static final Map<String, Integer> SENT = new TreeMap<>();

  static {
    SENT.put("bitcoin", 30);
    SENT.put("IoT", 20);
    SENT.put("5G", 12);
    SENT.put("blockchain", 5);
  }

  @Test
  void submitYarnScriptRunsTheJarInClusterModeAndAStopFileEndsItCleanly() throws Exception {
    String checkpoint = hdfsUri + "/trendline/script/checkpoint";
    String stopFile = hdfsUri + "/trendline/script/STOP";
    // The operator's configuration file, shipped by the script with --files.
    Path config = dir.resolve("consumer.properties");
    Files.write(
        config,
        Arrays.asList(
            "topic=tweets",
            "kafka.bootstrap.servers=" + broker.bootstrapServers(),
            "kafka.group.id=trendline-script",
            "kafka.auto.offset.reset=earliest",
            "checkpoint.dir=" + checkpoint,
            "sink.kafka.topic=trends",
            "stop.file=" + stopFile),
        StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(HOME.resolve("scripts/submit-yarn.sh").toString());
    cmd.add("--config");
    cmd.add(config.toString());
    cmd.add("--name");
    cmd.add("trendline-script-it");
    cmd.add("--java-options");
    cmd.add(opens());
    cmd.addAll(miniClusterSizing());
    cmd.add("--conf");
    cmd.add(sparkJarsConf());
    ApplicationId app = submit(cmd, "submit-yarn.log");
    checkRankingsAndStop(app, "trends", checkpoint, stopFile);
    // conf/log4j-yarn.properties, shipped with --files, took over the driver's logging.
    assertTrue(containerFiles(app, "spark.log") > 0, "the driver logged to a rolled spark.log");
  }

  @Test
  void theEmrParameterStringWithItsOssrefResolvedIsAcceptedBySparkSubmit() throws Exception {
    String checkpoint = hdfsUri + "/trendline/emr/checkpoint";
    String stopFile = hdfsUri + "/trendline/emr/STOP";
    Path config = dir.resolve("emr.properties");
    Files.write(
        config,
        Arrays.asList(
            "# as an operator writes it",
            "topic = tweets",
            "kafka.bootstrap.servers=" + broker.bootstrapServers(),
            "kafka.group.id=trendline-emr",
            "kafka.auto.offset.reset=earliest",
            "checkpoint.dir=" + checkpoint,
            "sink.kafka.topic=trends-emr",
            "stop.file=" + stopFile),
        StandardCharsets.UTF_8);
    String ossref = "ossref://my-bucket/trendline/" + LAYOUT.consumerJar().getFileName().toString();
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(HOME.resolve("scripts/emr-job.sh").toString());
    cmd.add("--spark");
    cmd.add(SPARK_MAJOR);
    cmd.add("--jar");
    cmd.add(ossref);
    cmd.add("--config");
    cmd.add(config.toString());
    cmd.add("--name");
    cmd.add("trendline-emr-it");
    cmd.addAll(miniClusterSizing());
    for (String key :
        new String[] {
          "spark.driver.extraJavaOptions",
          "spark.executor.extraJavaOptions",
          "spark.yarn.am.extraJavaOptions"
        }) {
      cmd.add("--conf");
      cmd.add(key + "=" + opens());
    }
    cmd.add("--conf");
    cmd.add(sparkJarsConf());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String printed = new String(readAll(p), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), printed);
    assertEquals(1, printed.split("\n").length, "one line to paste: " + printed);
    assertTrue(printed.contains(" " + ossref + " "), printed);

    // What the console does: download the jar, put its local path in place of the ossref URI,
    // and hand the string to spark-submit (here, a shell parses its quoting).
    String resolved = printed.replace(ossref, LAYOUT.consumerJar().toString());
    ApplicationId app =
        submit(Arrays.asList("bash", "-c", "exec \"$SPARK_SUBMIT\" " + resolved), "emr.log");
    checkRankingsAndStop(app, "trends-emr", checkpoint, stopFile);
  }

  /** Runs a submission command with the cluster's configuration; returns its application. */
  private static ApplicationId submit(List<String> cmd, String logName) throws Exception {
    Path log = dir.resolve(logName);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HADOOP_CONF_DIR", hadoopConfDir.toString());
    pb.environment().put("SPARK_SUBMIT", sparkSubmit.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process submit = pb.start();
    boolean returned = submit.waitFor(3, TimeUnit.MINUTES);
    if (!returned) {
      submit.destroyForcibly().waitFor();
    }
    String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    assertTrue(returned, "spark-submit returns once submitted: " + output);
    assertEquals(0, submit.exitValue(), output);
    Matcher m = Pattern.compile("(application_\\d+_\\d+)").matcher(output);
    assertTrue(m.find(), output);
    return ConverterUtils.toApplicationId(m.group(1));
  }

  /**
   * Awaits a ranking counting everything sent, checks it, then creates the stop file and awaits a
   * clean end, as YARN reports it.
   */
  private static void checkRankingsAndStop(
      ApplicationId appId, String sinkTopic, String checkpoint, String stopFile) throws Exception {
    YarnClient client = YarnClient.createYarnClient();
    client.init(yarn.getConfig());
    client.start();
    try {
      long total = SENT.values().stream().mapToLong(Integer::longValue).sum();
      JsonObject ranking = awaitRanking(sinkTopic, total, client, appId);
      Map<String, Long> counted = new TreeMap<>();
      for (JsonElement e : ranking.getAsJsonArray("top")) {
        JsonObject row = e.getAsJsonObject();
        counted.put(row.get("keyword").getAsString(), row.get("count").getAsLong());
      }
      Map<String, Long> expected = new TreeMap<>();
      SENT.forEach((k, v) -> expected.put(k, v.longValue()));
      assertEquals(expected, counted);
      assertEquals(total, ranking.get("total").getAsLong());
      assertEquals(300_000, ranking.get("windowMs").getAsLong());

      FileSystem fs = dfs.getFileSystem();
      org.apache.hadoop.fs.Path stop = new org.apache.hadoop.fs.Path(stopFile);
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(checkpoint)), "checkpoint on HDFS");
      fs.create(stop).close();
      ApplicationReport report = awaitEnd(client, appId);
      assertEquals(
          YarnApplicationState.FINISHED, report.getYarnApplicationState(), report.getDiagnostics());
      assertEquals(
          FinalApplicationStatus.SUCCEEDED,
          report.getFinalApplicationStatus(),
          report.getDiagnostics());
      assertFalse(fs.exists(stop), "the application removed the stop file it obeyed");
    } finally {
      ApplicationReport r = client.getApplicationReport(appId);
      if (r.getYarnApplicationState() == YarnApplicationState.RUNNING
          || r.getYarnApplicationState() == YarnApplicationState.ACCEPTED) {
        client.killApplication(appId);
      }
      client.stop();
    }
  }

  /** Memory and cores that fit two applications on the mini-cluster's one NodeManager. */
  private static List<String> miniClusterSizing() {
    return Arrays.asList(
        "--driver-memory", "512m",
        "--executor-memory", "512m",
        "--num-executors", "1",
        "--executor-cores", "1",
        "--conf", "spark.ui.enabled=false");
  }

  /** The JVM options Spark 2.4 needs on JDK 17, which the mini-cluster's containers run. */
  private static String opens() {
    return String.join(" ", SparkLocal.jvmOptions());
  }

  /**
   * Spark's jars from this machine (with ASM 9 for JDK 17), as a cluster's spark-defaults.conf
   * names its own installation, instead of an upload.
   */
  private static String sparkJarsConf() throws Exception {
    List<String> jars = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> ds =
        Files.newDirectoryStream(LAYOUT.sparkLib(), "*.jar")) {
      for (Path jar : ds) {
        jars.add("local:" + jar.toAbsolutePath());
      }
    }
    Collections.sort(jars);
    return "spark.yarn.jars=" + String.join(",", jars);
  }

  private static byte[] readAll(Process p) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n; (n = p.getInputStream().read(buf)) > 0; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void produce(Map<String, Integer> counts) throws Exception {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("acks", "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (Map.Entry<String, Integer> e : counts.entrySet()) {
        for (int n = 0; n < e.getValue(); n++) {
          producer.send(new ProducerRecord<>("tweets", e.getKey(), "{\"n\":" + n + "}")).get();
        }
      }
    }
  }

  /** Reads the rankings topic until a ranking's total reaches {@code total}. */
  private static JsonObject awaitRanking(
      String topic, long total, YarnClient client, ApplicationId appId) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(Collections.singletonList(tp));
      c.seekToBeginning(Collections.singletonList(tp));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          JsonObject o = JsonParser.parseString(r.value()).getAsJsonObject();
          if (o.get("total").getAsLong() >= total) {
            return o;
          }
        }
        ApplicationReport report = client.getApplicationReport(appId);
        assertNotNull(report);
        if (report.getYarnApplicationState() == YarnApplicationState.FAILED
            || report.getYarnApplicationState() == YarnApplicationState.KILLED
            || report.getYarnApplicationState() == YarnApplicationState.FINISHED) {
          throw new AssertionError(
              "the application ended early: " + report.getDiagnostics() + containerLogs());
        }
      }
    }
    throw new AssertionError("no ranking reached " + total + containerLogs());
  }

  private static ApplicationReport awaitEnd(YarnClient client, ApplicationId appId)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      ApplicationReport r = client.getApplicationReport(appId);
      YarnApplicationState s = r.getYarnApplicationState();
      if (s == YarnApplicationState.FINISHED
          || s == YarnApplicationState.FAILED
          || s == YarnApplicationState.KILLED) {
        return r;
      }
      Thread.sleep(250); // polling interval of a condition with a deadline
    }
    throw new AssertionError("the application did not stop after the stop file" + containerLogs());
  }

  /** How many files named {@code name} the application's containers wrote. */
  private static long containerFiles(ApplicationId app, String name) throws Exception {
    return containerFiles().stream()
        .filter(f -> f.getFileName().toString().equals(name))
        .filter(f -> f.toString().contains(app.toString()))
        .count();
  }

  /**
   * Every file under the containers' directories, walked while the NodeManager still creates and
   * deletes some of them: a directory that vanishes under the walk is skipped.
   */
  private static List<Path> containerFiles() throws Exception {
    List<Path> found = new ArrayList<>();
    Path root = containerLogRoot();
    if (!Files.isDirectory(root)) {
      return found;
    }
    Files.walkFileTree(
        root,
        new java.nio.file.SimpleFileVisitor<Path>() {
          @Override
          public java.nio.file.FileVisitResult visitFile(
              Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
            found.add(file);
            return java.nio.file.FileVisitResult.CONTINUE;
          }

          @Override
          public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e) {
            return java.nio.file.FileVisitResult.CONTINUE;
          }
        });
    return found;
  }

  /**
   * Where MiniYARNCluster keeps its containers' logs: target/NAME with Hadoop 2, target/test/data/
   * NAME with Hadoop 3.
   */
  private static Path containerLogRoot() {
    return org.apache.hadoop.util.VersionInfo.getVersion().startsWith("2.")
        ? Paths.get("target", "trendline")
        : Paths.get("target", "test", "data", "trendline");
  }

  /** The containers' stderr and spark.log, to explain a failure. */
  private static String containerLogs() {
    StringBuilder sb = new StringBuilder();
    try {
      containerFiles().stream()
          .filter(f -> f.getFileName().toString().matches("stderr|spark\\.log"))
          .forEach(
              f -> {
                try {
                  List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                  sb.append("\n--- ").append(f).append('\n');
                  sb.append(
                      String.join(
                          "\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                } catch (Exception e) {
                  sb.append("\n(cannot read ").append(f).append(')');
                }
              });
    } catch (Exception e) {
      sb.append("\n(no container logs: ").append(e).append(')');
    }
    return sb.toString();
  }
}
