package io.trendline.producer;

import io.trendline.common.config.ConfigException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * OAuth 1.0a credentials for the stream, from an owner-only file or the environment; never from the
 * command line (visible to every user in {@code ps}) and never logged: {@link #toString()} shows
 * only which source they came from. Immutable.
 */
public final class Credentials {
  static final String ENV_CONSUMER_KEY = "TWITTER_CONSUMER_KEY";
  static final String ENV_CONSUMER_SECRET = "TWITTER_CONSUMER_SECRET";
  static final String ENV_TOKEN = "TWITTER_ACCESS_TOKEN";
  static final String ENV_TOKEN_SECRET = "TWITTER_ACCESS_TOKEN_SECRET";

  final String consumerKey;
  final String consumerSecret;
  final String token;
  final String tokenSecret;
  private final String origin;

  Credentials(
      String consumerKey, String consumerSecret, String token, String tokenSecret, String origin) {
    this.consumerKey = consumerKey;
    this.consumerSecret = consumerSecret;
    this.token = token;
    this.tokenSecret = tokenSecret;
    this.origin = origin;
  }

  /**
   * Loads from {@code file} when it is non-empty, else from the environment.
   *
   * @throws ConfigException when a value is missing or the file is readable by others
   */
  public static Credentials load(String file, Map<String, String> env) {
    if (file != null && !file.isEmpty()) {
      return fromFile(Paths.get(file));
    }
    String[] names = {ENV_CONSUMER_KEY, ENV_CONSUMER_SECRET, ENV_TOKEN, ENV_TOKEN_SECRET};
    String[] values = new String[4];
    for (int i = 0; i < names.length; i++) {
      values[i] = env.get(names[i]);
      if (values[i] == null || values[i].trim().isEmpty()) {
        throw new ConfigException(
            "Missing stream credentials: set "
                + names[i]
                + " (and the other TWITTER_* variables) or give "
                + ProducerSettings.CREDENTIALS_FILE);
      }
    }
    return new Credentials(
        values[0].trim(), values[1].trim(), values[2].trim(), values[3].trim(), "environment");
  }

  static Credentials fromFile(Path path) {
    String key = ProducerSettings.CREDENTIALS_FILE;
    Properties p = readOwnerOnly(path);
    String[] names = {"consumer.key", "consumer.secret", "access.token", "access.token.secret"};
    String[] values = new String[4];
    for (int i = 0; i < names.length; i++) {
      values[i] = p.getProperty(names[i]);
      if (values[i] == null || values[i].trim().isEmpty()) {
        throw ConfigException.invalid(key, path, "it has no " + names[i]);
      }
    }
    return new Credentials(
        values[0].trim(), values[1].trim(), values[2].trim(), values[3].trim(), "file " + path);
  }

  /**
   * The properties of a credentials file, which must be readable by its owner only.
   *
   * @throws ConfigException when it is missing, unreadable or readable by others
   */
  static Properties readOwnerOnly(Path path) {
    String key = ProducerSettings.CREDENTIALS_FILE;
    try {
      if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission p : perms) {
          if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
            throw ConfigException.invalid(
                key,
                path,
                "the file is readable by others (mode "
                    + PosixFilePermissions.toString(perms)
                    + "); run chmod 600 "
                    + path);
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw ConfigException.invalid(key, path, "no such file");
    } catch (IOException e) {
      throw ConfigException.invalid(key, path, "cannot read it: " + e.getMessage());
    }
    Properties p = new Properties();
    try (Reader r = new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw ConfigException.invalid(key, path, "cannot read it: " + e.getMessage());
    }
    return p;
  }

  @Override
  public String toString() {
    return "credentials from " + origin;
  }
}
