package io.trendline.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a built checkout keeps the artifacts a local run starts: the same jars a user runs with
 * {@code java -jar} and submits with {@code spark-submit}. Immutable.
 */
final class Layout {
  final Path home;

  Layout(Path home) {
    this.home = home.toAbsolutePath().normalize();
  }

  Path producerJar() {
    return require(home.resolve("producer/target/trendline-producer-all.jar"));
  }

  Path dashboardJar() {
    return require(home.resolve("dashboard/target/trendline-dashboard-all.jar"));
  }

  Path streamServerJar() {
    return require(home.resolve("support/streamserver/target/trendline-streamserver-all.jar"));
  }

  /**
   * The consumer jar: the Spark 2.4 one, or the one the system property {@code
   * trendline.consumer.jar} names (the Spark 3 build's tests set it).
   */
  Path consumerJar() {
    String other = System.getProperty("trendline.consumer.jar");
    return require(
        other != null ? Paths.get(other) : home.resolve("consumer/target/trendline-consumer.jar"));
  }

  /**
   * What spark-submit would provide: Spark's jars, for the consumer in local mode; Spark 2.4's, or
   * those in the directory the system property {@code trendline.spark.lib} names.
   */
  Path sparkLib() {
    String other = System.getProperty("trendline.spark.lib");
    return require(
        other != null ? Paths.get(other) : home.resolve("build-support/spark-runtime/target/lib"));
  }

  /** The consumer jar first, then Spark's jars, as spark-submit orders them. */
  String consumerClasspath() {
    List<String> entries = new ArrayList<>();
    entries.add(consumerJar().toString());
    List<String> jars = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(sparkLib(), "*.jar")) {
      for (Path jar : dir) {
        jars.add(jar.toString());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + sparkLib(), e);
    }
    Collections.sort(jars);
    entries.addAll(jars);
    return String.join(File.pathSeparator, entries);
  }

  private static Path require(Path p) {
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p + " is missing: build the project first (mvn -DskipTests package)");
    }
    return p;
  }
}
