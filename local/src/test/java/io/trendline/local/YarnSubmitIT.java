package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.trendline.broker.KafkaBrokerProcess;
import java.io.File;
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
 * mini-cluster, reading a real Kafka broker: the rankings it emits count exactly what was produced,
 * and a stop file on HDFS stops it gracefully, which YARN reports as a success.
 */
class YarnSubmitIT {
  private static final String[] OPENS = {
    "java.lang",
    "java.lang.invoke",
    "java.lang.reflect",
    "java.io",
    "java.net",
    "java.nio",
    "java.util",
    "java.util.concurrent",
    "java.util.concurrent.atomic",
    "sun.nio.ch",
    "sun.nio.cs",
    "sun.security.action",
    "sun.util.calendar"
  };

  private static Path dir;
  private static MiniDFSCluster dfs;
  private static MiniYARNCluster yarn;
  private static KafkaBrokerProcess broker;
  private static Path hadoopConfDir;
  private static String hdfsUri;

  @BeforeAll
  static void startClusters() throws Exception {
    dir = Files.createTempDirectory("yarn-it");
    broker =
        KafkaBrokerProcess.builder(dir.resolve("kafka"))
            .topic("tweets", 3)
            .topic("trends", 1)
            .start();

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

  @Test
  void theSubmittedJarCountsWhatWasProducedAndStopsCleanly() throws Exception {
    Map<String, Integer> sent = new TreeMap<>();
    sent.put("bitcoin", 30);
    sent.put("IoT", 20);
    sent.put("5G", 12);
    sent.put("blockchain", 5);
    produce(sent);

    Path home = Paths.get("..").toAbsolutePath().normalize();
    Layout layout = new Layout(home);
    String checkpoint = hdfsUri + "/trendline/checkpoint";
    String stopFile = hdfsUri + "/trendline/STOP";
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-cp");
    // As bin/spark-submit does: HADOOP_CONF_DIR goes on the classpath, where Hadoop reads it.
    cmd.add(hadoopConfDir + File.pathSeparator + layout.sparkLib() + File.separator + "*");
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(submitArguments(layout));
    cmd.add(layout.consumerJar().toString());
    cmd.addAll(
        Arrays.asList(
            "--kafka.bootstrap.servers",
            broker.bootstrapServers(),
            "--topic",
            "tweets",
            "--kafka.auto.offset.reset",
            "earliest",
            "--checkpoint.dir",
            checkpoint,
            "--sink.kafka.topic",
            "trends",
            "--stop.file",
            stopFile));
    Path submitLog = dir.resolve("spark-submit.log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(submitLog.toFile());
    pb.environment().put("HADOOP_CONF_DIR", hadoopConfDir.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process submit = pb.start();
    boolean returned = submit.waitFor(3, TimeUnit.MINUTES);
    if (!returned) {
      submit.destroyForcibly().waitFor();
    }
    assertTrue(returned, "spark-submit returns once submitted");
    String submitted = new String(Files.readAllBytes(submitLog), StandardCharsets.UTF_8);
    assertEquals(0, submit.exitValue(), submitted);
    Matcher m = Pattern.compile("(application_\\d+_\\d+)").matcher(submitted);
    assertTrue(m.find(), submitted);
    ApplicationId appId = ConverterUtils.toApplicationId(m.group(1));

    YarnClient client = YarnClient.createYarnClient();
    client.init(yarn.getConfig());
    client.start();
    try {
      JsonObject ranking = awaitRanking(67, client, appId);
      Map<String, Long> counted = new TreeMap<>();
      for (JsonElement e : ranking.getAsJsonArray("top")) {
        JsonObject row = e.getAsJsonObject();
        counted.put(row.get("keyword").getAsString(), row.get("count").getAsLong());
      }
      Map<String, Long> expected = new TreeMap<>();
      for (Map.Entry<String, Integer> e : sent.entrySet()) {
        expected.put(e.getKey(), e.getValue().longValue());
      }
      assertEquals(expected, counted);
      assertEquals(300_000, ranking.get("windowMs").getAsLong());

      FileSystem fs = dfs.getFileSystem();
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(checkpoint)), "checkpoint on HDFS");
      fs.create(new org.apache.hadoop.fs.Path(stopFile)).close();
      ApplicationReport report = awaitEnd(client, appId);
      assertEquals(
          YarnApplicationState.FINISHED, report.getYarnApplicationState(), report.getDiagnostics());
      assertEquals(
          FinalApplicationStatus.SUCCEEDED,
          report.getFinalApplicationStatus(),
          report.getDiagnostics());
    } finally {
      ApplicationReport r = client.getApplicationReport(appId);
      if (r.getYarnApplicationState() == YarnApplicationState.RUNNING) {
        client.killApplication(appId);
      }
      client.stop();
    }
  }

  /** Spark's own arguments, as scripts/submit-yarn.sh passes them, sized for a mini-cluster. */
  static List<String> submitArguments(Layout layout) throws Exception {
    StringBuilder opens = new StringBuilder();
    for (String p : OPENS) {
      opens
          .append(opens.length() == 0 ? "" : " ")
          .append("--add-opens=java.base/")
          .append(p)
          .append("=ALL-UNNAMED");
    }
    List<String> jars = new ArrayList<>();
    try (java.nio.file.DirectoryStream<Path> ds =
        Files.newDirectoryStream(layout.sparkLib(), "*.jar")) {
      for (Path jar : ds) {
        jars.add("local:" + jar.toAbsolutePath());
      }
    }
    Collections.sort(jars);
    return Arrays.asList(
        "--master", "yarn",
        "--deploy-mode", "cluster",
        "--name", "trendline-consumer-it",
        "--class", "io.trendline.consumer.TrendsApp",
        "--driver-memory", "512m",
        "--executor-memory", "512m",
        "--num-executors", "1",
        "--executor-cores", "1",
        // The mini-cluster's containers run this JDK 17: Spark 2.4 needs these there too.
        "--conf", "spark.driver.extraJavaOptions=" + opens,
        "--conf", "spark.executor.extraJavaOptions=" + opens,
        "--conf", "spark.yarn.am.extraJavaOptions=" + opens,
        // Spark's jars from this machine (with ASM 9 for JDK 17) instead of an upload.
        "--conf", "spark.yarn.jars=" + String.join(",", jars),
        "--conf", "spark.yarn.submit.waitAppCompletion=false",
        "--conf", "spark.yarn.maxAppAttempts=1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.streaming.stopGracefullyOnShutdown=true");
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
  private static JsonObject awaitRanking(long total, YarnClient client, ApplicationId appId)
      throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition("trends", 0);
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

  /**
   * The containers' stderr (MiniYARNCluster keeps them under target/NAME), to explain a failure.
   */
  private static String containerLogs() {
    StringBuilder sb = new StringBuilder();
    try (java.util.stream.Stream<Path> files = Files.walk(Paths.get("target", "trendline"))) {
      files
          .filter(f -> f.getFileName().toString().equals("stderr"))
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
