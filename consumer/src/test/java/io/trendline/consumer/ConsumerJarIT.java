package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The consumer jar this build made (for Spark 2.4, or with {@code -Pspark3} for Spark 3.5) runs on
 * Java 8: every class in it, ours and the shaded ones, is Java 8 bytecode (major version 52 or
 * lower), except under {@code META-INF/versions/}, which only a newer JVM reads.
 */
class ConsumerJarIT {
  private static final int JAVA_8 = 52;

  @Test
  void everyClassInTheJarIsJava8Bytecode() throws Exception {
    Path jar =
        Paths.get(System.getProperty("trendline.consumer.jar", "target/trendline-consumer.jar"));
    assertTrue(Files.exists(jar), jar + " is built before the integration tests");
    List<String> newer = new ArrayList<>();
    int classes = 0;
    try (JarFile f = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/versions/")) {
          continue;
        }
        classes++;
        try (InputStream in = f.getInputStream(entry)) {
          DataInputStream data = new DataInputStream(in);
          assertEquals(0xCAFEBABE, data.readInt(), name + " is a class file");
          data.readUnsignedShort(); // minor
          int major = data.readUnsignedShort();
          if (major > JAVA_8) {
            newer.add(name + " (" + major + ")");
          }
        }
      }
    }
    assertTrue(classes > 1000, "the jar holds the consumer and what it shades: " + classes);
    assertTrue(holds(jar, TrendsApp.class.getName()), "the jar holds the application: " + jar);
    assertEquals(new ArrayList<String>(), newer, "classes newer than Java 8 in " + jar);
  }

  private static boolean holds(Path jar, String className) throws Exception {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getEntry(className.replace('.', '/') + ".class") != null;
    }
  }
}
