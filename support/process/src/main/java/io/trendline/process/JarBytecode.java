package io.trendline.process;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class-file versions in a jar: what the build checks so that every shipped jar runs on the
 * cluster's Java 8 (major version 52). Classes under {@code META-INF/versions/} are left out: only
 * a newer JVM reads them.
 */
public final class JarBytecode {
  /** Java 8's class-file major version. */
  public static final int JAVA_8 = 52;

  /** The classes counted, and those newer than the version asked for ("name (major)"). */
  public final int classes;

  public final List<String> newer;

  private JarBytecode(int classes, List<String> newer) {
    this.classes = classes;
    this.newer = newer;
  }

  /** Reads every class in {@code jar}, noting those with a major version above {@code major}. */
  public static JarBytecode read(Path jar, int major) throws IOException {
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
          if (data.readInt() != 0xCAFEBABE) {
            throw new IOException(name + " in " + jar + " is not a class file");
          }
          data.readUnsignedShort(); // minor
          int m = data.readUnsignedShort();
          if (m > major) {
            newer.add(name + " (" + m + ")");
          }
        }
      }
    }
    return new JarBytecode(classes, newer);
  }

  /** Whether {@code jar} holds {@code entry} (a path such as {@code io/x/Y.class}). */
  public static boolean holds(Path jar, String entry) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.getEntry(entry) != null;
    }
  }
}
