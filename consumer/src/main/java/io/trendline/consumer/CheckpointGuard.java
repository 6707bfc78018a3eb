package io.trendline.consumer;

import io.trendline.common.Printable;
import io.trendline.common.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses to start on a checkpoint that this run cannot honour. Spark restores the whole graph from
 * a checkpoint: a restarted job keeps the topic, window, slide, ranking size and sinks it was
 * written with, whatever its new settings say, and a checkpoint written by other code may not
 * deserialize, or restore something subtly different. So the checkpoint directory records the
 * version and the settings that shape the graph ({@value #FILE}); a start that differs in any of
 * them fails with one line saying what differs and what to do, instead of silently running the old
 * graph.
 */
final class CheckpointGuard {
  static final String FILE = "trendline-graph.properties";

  private CheckpointGuard() {}

  /**
   * What wrote a checkpoint, as far as Spark's restore depends on it: the consumer's version, a
   * digest of its classes (a rebuilt jar with any change to the code has another one, where the
   * version may well be the same {@code -SNAPSHOT}) and the Spark it runs on.
   */
  static String version() {
    String version = BuildInfo.readOrEmpty().getProperty("version", UNKNOWN);
    URI[] code = locations(CheckpointGuard.class, Printable.class);
    String digest = code == null ? null : codeDigest(code);
    String spark = sparkVersion();
    return version
        + ", code "
        + (digest == null ? UNKNOWN : digest)
        + ", Spark "
        + (spark == null ? UNKNOWN : spark);
  }

  /** A part of {@link #version()} this run could not find out; it matches anything. */
  static final String UNKNOWN = "unknown";

  /**
   * Whether a checkpoint written by {@code was} can be restored by {@code now}: each part (the
   * version, {@code code …}, {@code Spark …}) the same, or unknown to one of them. A version of
   * another shape (an older release's, without parts) differs.
   */
  static boolean sameVersion(String was, String now) {
    if (was.equals(now)) {
      return true;
    }
    String[] a = was.split(", ", -1);
    String[] b = now.split(", ", -1);
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i]) && !(isUnknown(a[i]) || isUnknown(b[i]))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnknown(String part) {
    return part.equals(UNKNOWN) || part.endsWith(" " + UNKNOWN);
  }

  /** The Spark on the classpath, from its own build information, or null. */
  static String sparkVersion() {
    ClassLoader loader = CheckpointGuard.class.getClassLoader();
    try (InputStream in =
        loader == null ? null : loader.getResourceAsStream("spark-version-info.properties")) {
      if (in == null) {
        return null;
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * A digest of every class under {@code io/trendline/} in the given jars or class directories (the
   * one fat jar, or the build's class directories), or null when a location cannot be read: names
   * and bytes, in name order, so the same code gives the same digest from a jar or a directory.
   */
  static String codeDigest(URI... locations) {
    try {
      SortedMap<String, byte[]> classes = new TreeMap<>();
      for (URI location : new LinkedHashSet<>(Arrays.asList(locations))) {
        collectClasses(Paths.get(location), classes);
      }
      return digest(classes);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Where each class was loaded from, or null when one does not say. */
  static URI[] locations(Class<?>... classes) {
    URI[] at = new URI[classes.length];
    try {
      for (int i = 0; i < classes.length; i++) {
        CodeSource source = classes[i].getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
          return null;
        }
        at[i] = source.getLocation().toURI();
      }
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
    return at;
  }

  private static final String PREFIX = "io/trendline/";

  private static void collectClasses(java.nio.file.Path location, SortedMap<String, byte[]> into)
      throws IOException {
    if (Files.isDirectory(location)) {
      java.nio.file.Path root = location.resolve(PREFIX);
      if (!Files.isDirectory(root)) {
        return;
      }
      List<java.nio.file.Path> files = new ArrayList<>();
      try (Stream<java.nio.file.Path> walk = Files.walk(root)) {
        walk.filter(f -> f.toString().endsWith(".class")).forEach(files::add);
      }
      for (java.nio.file.Path f : files) {
        String name = location.relativize(f).toString().replace(File.separatorChar, '/');
        try (InputStream in = Files.newInputStream(f)) {
          into.put(name, sha256(in));
        }
      }
      return;
    }
    try (ZipFile jar = new ZipFile(location.toFile())) {
      Enumeration<? extends ZipEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (!e.isDirectory() && e.getName().startsWith(PREFIX) && e.getName().endsWith(".class")) {
          try (InputStream in = jar.getInputStream(e)) {
            into.put(e.getName(), sha256(in));
          }
        }
      }
    }
  }

  /**
   * The digest of classes given as name to the SHA-256 of their bytes (a few KB for the fat jar,
   * where the bytes themselves are megabytes), as 12 hex digits.
   */
  static String digest(SortedMap<String, byte[]> classes) {
    MessageDigest sha = sha256();
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(e.getValue());
    }
    byte[] d = sha.digest();
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      hex.append(String.format("%02x", d[i] & 0xff));
    }
    return hex.toString();
  }

  private static byte[] sha256(InputStream in) throws IOException {
    MessageDigest sha = sha256();
    byte[] buf = new byte[8192];
    for (int n; (n = in.read(buf)) > 0; ) {
      sha.update(buf, 0, n);
    }
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** What the checkpoint must agree with, in a stable order. */
  static Map<String, String> shape(ConsumerSettings s, String version) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("topic", s.topic());
    m.put("batch.interval", s.batchMs() + "ms");
    m.put("window", s.windowMs() + "ms");
    m.put("slide", s.slideMs() + "ms");
    m.put("top", String.valueOf(s.top()));
    m.put("partitions", String.valueOf(s.partitions()));
    m.put(
        "totals",
        s.totalsIdleTimeout() == null ? "off" : s.totalsIdleTimeout().milliseconds() + "ms");
    m.put("sink.console", String.valueOf(s.consoleSink()));
    m.put("sink.kafka.topic", s.kafkaSinkTopic());
    m.put("sink.files.path", s.filesSinkPath());
    return m;
  }

  /**
   * Checks the settings against what {@code checkpoint.dir} was written with, if anything.
   *
   * @throws ConfigException naming what differs
   */
  static void check(ConsumerSettings s, String version, Configuration hadoop) {
    Properties recorded;
    try {
      recorded = usableAndRecorded(s.checkpointDir(), hadoop);
    } catch (IOException | RuntimeException e) {
      throw ConfigException.invalid(
          "checkpoint.dir",
          s.checkpointDir(),
          "cannot use it: "
              + (e.getMessage() == null
                  ? e.getClass().getSimpleName()
                  : Printable.firstLine(e.getMessage())));
    }
    if (recorded == null) {
      return;
    }
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, String> e : shape(s, version).entrySet()) {
      String was = recorded.getProperty(e.getKey());
      boolean same =
          e.getKey().equals("version")
              ? was == null || sameVersion(was, e.getValue())
              : was == null || was.equals(e.getValue());
      if (!same) {
        differences.add(e.getKey() + " " + quote(was) + " (now " + quote(e.getValue()) + ")");
      }
    }
    if (differences.isEmpty()) {
      return;
    }
    boolean code = !sameVersion(recorded.getProperty("version", version), version);
    throw new ConfigException(
        "checkpoint.dir "
            + s.checkpointDir()
            + " was written with "
            + String.join(", ", differences)
            + (code
                ? ". Spark cannot restore a checkpoint across a change of code or of Spark"
                : ". A checkpoint restores the graph it was written with")
            + ": start on a new checkpoint.dir (the job resumes from the offsets committed to"
            + " Kafka; see README, Stopping, restarting, upgrading), or keep the settings it was"
            + " written with.");
  }

  /**
   * Makes sure the directory exists and takes a file (so that a wrong scheme, a file in its place
   * or missing permissions stop the start with one line, not a Spark stack trace), and returns what
   * it was written with, or null for a new checkpoint.
   */
  private static Properties usableAndRecorded(String dir, Configuration hadoop) throws IOException {
    Path path = new Path(dir);
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.mkdirs(path) || !fs.getFileStatus(path).isDirectory()) {
      throw new IOException("not a directory, and cannot be made one");
    }
    Path probe = new Path(path, ".trendline-probe");
    fs.create(probe, true).close();
    fs.delete(probe, false);
    Path file = new Path(path, FILE);
    if (!fs.exists(file)) {
      return null;
    }
    Properties recorded = new Properties();
    try (InputStream in = fs.open(file)) {
      recorded.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return recorded;
  }

  /** Records the settings a new checkpoint is written with. */
  static void record(ConsumerSettings s, String version, Configuration hadoop) throws IOException {
    Path file = new Path(s.checkpointDir(), FILE);
    FileSystem fs = file.getFileSystem(hadoop);
    Properties p = new Properties();
    p.putAll(shape(s, version));
    try (OutputStream out = fs.create(file, true)) {
      p.store(
          new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
          "What this checkpoint's graph was built with; see CheckpointGuard");
    }
  }

  private static String quote(String s) {
    return "'" + s + "'";
  }
}
