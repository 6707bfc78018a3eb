package io.trendline.local;

import java.util.ArrayList;
import java.util.List;

/** JVM options Spark 2.4 needs to run on Java 9 and later (none on Java 8). */
final class SparkLocal {
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

  private SparkLocal() {}

  static List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    if (System.getProperty("java.specification.version").startsWith("1.")) {
      return options;
    }
    for (String pkg : OPENS) {
      options.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
    }
    return options;
  }
}
