package io.trendline.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What this jar was built as: its version and the Spark and Scala it is for. {@code java -cp
 * trendline-consumer.jar io.trendline.consumer.BuildInfo} prints them, one {@code key=value} a
 * line, without Spark on the classpath; {@code scripts/submit-yarn.sh} reads them to refuse a jar
 * built for another Spark than the cluster's.
 */
public final class BuildInfo {
  private BuildInfo() {}

  /** The build's properties (version, spark.version, scala.binary.version). */
  static Properties read() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is missing from the jar");
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read build.properties: " + e.getMessage(), e);
    }
    return p;
  }

  /** The build's properties, or none when they cannot be read (only the check weakens). */
  static Properties readOrEmpty() {
    try {
      return read();
    } catch (IllegalStateException e) {
      return new Properties();
    }
  }

  public static void main(String[] args) {
    Properties p = read();
    for (String key : new String[] {"version", "spark.version", "scala.binary.version"}) {
      System.out.println(key + "=" + p.getProperty(key, ""));
    }
  }
}
