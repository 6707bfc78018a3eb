package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.process.JarBytecode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * The consumer jar this build made (for Spark 2.4, or with {@code -Pspark3} for Spark 3.5) runs on
 * Java 8: every class in it, ours and the shaded ones, is Java 8 bytecode (major version 52 or
 * lower), except under {@code META-INF/versions/}, which only a newer JVM reads.
 */
class ConsumerJarIT {
  @Test
  void everyClassInTheJarIsJava8Bytecode() throws Exception {
    Path jar =
        Paths.get(System.getProperty("trendline.consumer.jar", "target/trendline-consumer.jar"));
    assertTrue(Files.exists(jar), jar + " is built before the integration tests");
    JarBytecode b = JarBytecode.read(jar, JarBytecode.JAVA_8);
    assertTrue(b.classes > 1000, "the jar holds the consumer and what it shades: " + b.classes);
    assertTrue(
        JarBytecode.holds(jar, TrendsApp.class.getName().replace('.', '/') + ".class"),
        "the jar holds the application: " + jar);
    assertEquals(new ArrayList<String>(), b.newer, "classes newer than Java 8 in " + jar);
  }
}
