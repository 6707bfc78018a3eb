package io.trendline.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import org.apache.kafka.common.config.types.Password;

/**
 * A Kafka password ({@code ssl.truststore.password} and the like) read from the settings file,
 * which travels as a reference: Spark writes the direct stream's Kafka parameters into every
 * checkpoint file and sends them to the executors with each task, and what it serializes of this is
 * the file's name and the key. Each JVM that reads one back reads the value from the file again,
 * where {@code spark-submit --files} put it (the path as given, else the file's name in the working
 * directory). Kafka takes a {@link Password} wherever a password is expected, and never prints one.
 */
final class FilePassword extends Password implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final String key;

  /**
   * @throws IllegalArgumentException when the file cannot be read or lacks the key
   */
  FilePassword(String file, String key) {
    super(read(file, key));
    this.file = file;
    this.key = key;
  }

  private Object writeReplace() {
    return new Reference(file, key);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a FilePassword travels as its reference");
  }

  /** What is serialized: where the password is, not the password. */
  private static final class Reference implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String key;

    Reference(String file, String key) {
      this.file = file;
      this.key = key;
    }

    private Object readResolve() {
      return new FilePassword(file, key);
    }
  }

  /** The value of {@code key} in the properties file; never shown in a message. */
  static String read(String file, String key) {
    Path path = Paths.get(file);
    if (!Files.isReadable(path) && path.getFileName() != null) {
      path = path.getFileName(); // where spark-submit --files put it
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + key + " from " + path.toAbsolutePath() + ": " + e, e);
    }
    String value = p.getProperty(key);
    if (value == null || value.trim().isEmpty()) {
      throw new IllegalArgumentException(key + " is not set in " + path.toAbsolutePath());
    }
    return value.trim();
  }
}
