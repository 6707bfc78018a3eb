package io.trendline.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What scripts/submit-yarn.sh and scripts/emr-job.sh refuse, and what they print, without a cluster
 * (YarnSubmitIT submits with both for real).
 */
class SubmitScriptsIT {
  private static final Path HOME =
      Paths.get(System.getProperty("trendline.home", "../..")).toAbsolutePath().normalize();
  @TempDir Path dir;

  /** Exit code and everything printed (stdout then stderr). */
  private static final class Result {
    final int code;
    final String out;

    Result(int code, String out) {
      this.code = code;
      this.out = out;
    }
  }

  private Result run(String script, String... args) throws Exception {
    return run(null, script, args);
  }

  /** Runs with HADOOP_CONF_DIR set and {@code spark-submit} standing for a cluster's, if given. */
  private Result run(Path sparkSubmit, String script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList("bash", HOME.resolve(script).toString()));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("HADOOP_CONF_DIR");
    pb.environment().remove("YARN_CONF_DIR");
    if (sparkSubmit != null) {
      pb.environment().put("HADOOP_CONF_DIR", dir.toString());
      pb.environment().put("SPARK_SUBMIT", sparkSubmit.toString());
    }
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Result(p.exitValue(), new String(out.toByteArray(), StandardCharsets.UTF_8));
  }

  private Path config(String... lines) throws Exception {
    Path f = dir.resolve("consumer.properties");
    Files.write(f, Arrays.asList(lines), StandardCharsets.UTF_8);
    return f;
  }

  /** A stand-in jar: the scripts only check that it exists. */
  private String jar() throws Exception {
    return Files.createFile(dir.resolve("trendline-consumer.jar")).toString();
  }

  @Test
  void aDryRunShipsTheConfigAndHidesSecrets() throws Exception {
    Path cfg = config("topic=tweets", "checkpoint.dir=hdfs:///trendline/checkpoint");
    String jar = jar();
    Result r =
        run(
            "scripts/submit-yarn.sh",
            "--dry-run",
            "--jar",
            jar,
            "--config",
            cfg.toString(),
            "--conf",
            "spark.ssl.keyStorePassword=hunter2",
            "--",
            "--top",
            "20");
    assertEquals(0, r.code, r.out);
    assertTrue(r.out.contains("--deploy-mode cluster"), r.out);
    assertTrue(
        r.out.contains("--files " + HOME.resolve("conf/log4j-yarn.properties") + "," + cfg), r.out);
    assertTrue(r.out.contains("--config consumer.properties"), r.out);
    assertTrue(r.out.contains("spark.yarn.am.attemptFailuresValidityInterval=1h"), r.out);
    assertTrue(r.out.contains("spark.ssl.keyStorePassword=****"), r.out);
    assertTrue(r.out.contains("--config consumer.properties --top 20"), r.out);
    assertFalse(r.out.contains("hunter2"), r.out);

    Result refused =
        run(
            "scripts/submit-yarn.sh",
            "--dry-run",
            "--jar",
            jar,
            "--config",
            cfg.toString(),
            "--",
            "--kafka.sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"x\";");
    assertEquals(2, refused.code, refused.out);
    assertTrue(
        refused.out.contains(
            "'--kafka.sasl.jaas.config' holds a secret: put it in the --config file"),
        refused.out);
    assertFalse(refused.out.contains("PlainLoginModule"), refused.out);
  }

  @Test
  void clientModeReadsTheConfigWhereItIs() throws Exception {
    Path cfg = config("checkpoint.dir=hdfs:///c");
    Result r =
        run(
            "scripts/submit-yarn.sh",
            "--dry-run",
            "--client",
            "--jar",
            jar(),
            "--config",
            cfg.toString());
    assertEquals(0, r.code, r.out);
    assertTrue(r.out.contains("--deploy-mode client"), r.out);
    assertTrue(r.out.contains("--config " + cfg), r.out);
    assertFalse(r.out.contains("waitAppCompletion"), r.out);
  }

  @Test
  void wrongInputIsRefusedBeforeAnythingIsSubmitted() throws Exception {
    String jar = jar();
    Result noCheckpoint = run("scripts/submit-yarn.sh", "--jar", jar);
    assertEquals(2, noCheckpoint.code);
    assertTrue(noCheckpoint.out.contains("no checkpoint.dir"), noCheckpoint.out);

    Result local =
        run("scripts/submit-yarn.sh", "--jar", jar, "--", "--checkpoint.dir", "file:///tmp/c");
    assertEquals(2, local.code);
    assertTrue(local.out.contains("use hdfs:// or oss://"), local.out);

    Result noJar =
        run(
            "scripts/submit-yarn.sh",
            "--jar",
            dir.resolve("missing.jar").toString(),
            "--",
            "--checkpoint.dir",
            "hdfs:///c");
    assertEquals(2, noJar.code);
    assertTrue(noJar.out.contains("not found"), noJar.out);

    Result badNumber = run("scripts/submit-yarn.sh", "--num-executors", "two");
    assertEquals(2, badNumber.code);
    assertTrue(badNumber.out.contains("positive integers"), badNumber.out);

    Result unknown = run("scripts/submit-yarn.sh", "--master", "local");
    assertEquals(2, unknown.code);
    assertTrue(unknown.out.contains("unknown option '--master'"), unknown.out);

    Result noCluster =
        run("scripts/submit-yarn.sh", "--jar", jar, "--", "--checkpoint.dir", "hdfs:///c");
    assertEquals(2, noCluster.code);
    assertTrue(noCluster.out.contains("HADOOP_CONF_DIR"), noCluster.out);
  }

  @Test
  void theEmrStringInlinesTheConfigAndRefusesSecrets() throws Exception {
    Path cfg = config("# comment", "topic = tweets", "checkpoint.dir=oss://b/ckpt", "top: 20");
    Result r =
        run(
            "scripts/emr-job.sh",
            "--jar",
            "ossref://b/trendline/trendline-consumer.jar",
            "--config",
            cfg.toString());
    assertEquals(0, r.code, r.out);
    assertEquals(1, r.out.trim().split("\n").length, r.out);
    assertTrue(
        r.out.contains(
            "ossref://b/trendline/trendline-consumer.jar --topic tweets --checkpoint.dir"
                + " oss://b/ckpt --top 20"),
        r.out);
    assertFalse(r.out.contains("--files"), "nothing to ship from the console: " + r.out);

    Path secret = config("checkpoint.dir=oss://b/c", "kafka.ssl.key.password=x");
    Result refused =
        run("scripts/emr-job.sh", "--jar", "ossref://b/x.jar", "--config", secret.toString());
    assertEquals(2, refused.code);
    assertTrue(refused.out.contains("looks like a secret"), refused.out);

    cfg = config("topic = tweets", "checkpoint.dir=oss://b/ckpt");
    Result wrongJar =
        run(
            "scripts/emr-job.sh",
            "--spark",
            "3",
            "--jar",
            "ossref://b/trendline/trendline-consumer.jar",
            "--config",
            cfg.toString());
    assertEquals(2, wrongJar.code);
    assertTrue(wrongJar.out.contains("is not the Spark 3 jar"), wrongJar.out);
    Result spark3 =
        run(
            "scripts/emr-job.sh",
            "--spark",
            "3",
            "--jar",
            "ossref://b/trendline/trendline-consumer-spark3.jar",
            "--config",
            cfg.toString());
    assertEquals(0, spark3.code, spark3.out);
    assertTrue(spark3.out.contains("trendline-consumer-spark3.jar --topic tweets"), spark3.out);

    Result notOssref = run("scripts/emr-job.sh", "--jar", "oss://b/x.jar");
    assertEquals(2, notOssref.code);
    assertTrue(notOssref.out.contains("ossref://BUCKET/PATH/NAME.jar"), notOssref.out);
  }

  /**
   * A spark-submit that shows the banner of the given Spark and Scala versions for {@code
   * --version} (as the real one does, on standard error) and otherwise prints what it was given.
   */
  private Path sparkSubmit(String spark, String scala) throws Exception {
    Path f = dir.resolve("spark-submit-" + spark);
    Files.write(
        f,
        Arrays.asList(
            "#!/bin/sh",
            "if [ \"$1\" = --version ]; then",
            "  echo 'Welcome to' >&2",
            "  echo '      /___/ .__/\\_,_/_/ /_/\\_\\   version " + spark + "' >&2",
            "  echo 'Using Scala version " + scala + ", OpenJDK 64-Bit Server VM, 1.8.0_402' >&2",
            "  exit 0",
            "fi",
            "echo SUBMITTED \"$@\""),
        StandardCharsets.UTF_8);
    assertTrue(f.toFile().setExecutable(true));
    return f;
  }

  @Test
  void theJarMustBeBuiltForTheClustersSpark() throws Exception {
    Path spark24Jar = new Layout(HOME).consumerJar();
    assertTrue(Files.exists(spark24Jar), "the default build made " + spark24Jar);
    Path cfg = config("checkpoint.dir=hdfs:///c");
    Path keytab = Files.write(dir.resolve("trendline.keytab"), new byte[] {5, 2});

    Result onSpark24 =
        run(
            sparkSubmit("2.4.7", "2.11.12"),
            "scripts/submit-yarn.sh",
            "--config",
            cfg.toString(),
            "--principal",
            "trendline@EXAMPLE.COM",
            "--keytab",
            keytab.toString());
    assertEquals(0, onSpark24.code, onSpark24.out);
    assertTrue(onSpark24.out.contains("SUBMITTED --master yarn"), onSpark24.out);
    assertTrue(onSpark24.out.contains(" " + spark24Jar + " "), "the default jar: " + onSpark24.out);
    assertTrue(
        onSpark24.out.contains("--principal trendline@EXAMPLE.COM --keytab " + keytab),
        onSpark24.out);

    Result onSpark3 =
        run(
            sparkSubmit("3.5.1", "2.12.18"),
            "scripts/submit-yarn.sh",
            "--jar",
            spark24Jar.toString(),
            "--config",
            cfg.toString());
    assertEquals(2, onSpark3.code, onSpark3.out);
    assertEquals(1, onSpark3.out.trim().split("\n").length, "one line: " + onSpark3.out);
    assertTrue(
        onSpark3.out.contains(
            "is built for Spark 2.4.7 (Scala 2.11) but the cluster runs Spark 3.5.1 (Scala 2.12):"
                + " use "
                + HOME.resolve("consumer/target/trendline-consumer-spark3.jar")),
        onSpark3.out);
    assertFalse(onSpark3.out.contains("SUBMITTED"), onSpark3.out);

    Result saidOtherwise =
        run(
            sparkSubmit("3.5.1", "2.12.18"),
            "scripts/submit-yarn.sh",
            "--spark",
            "2",
            "--config",
            cfg.toString());
    assertEquals(2, saidOtherwise.code, saidOtherwise.out);
    assertTrue(saidOtherwise.out.contains("runs Spark 3.5.1"), saidOtherwise.out);

    Result halfKerberos =
        run("scripts/submit-yarn.sh", "--dry-run", "--principal", "p", "--config", cfg.toString());
    assertEquals(2, halfKerberos.code, halfKerberos.out);
    assertTrue(halfKerberos.out.contains("--principal and --keytab go together"), halfKerberos.out);
  }
}
