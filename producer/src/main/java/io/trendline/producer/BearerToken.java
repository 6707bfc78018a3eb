package io.trendline.producer;

import io.trendline.common.config.ConfigException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * The OAuth 2.0 app-only bearer token of the X API v2, from the owner-only credentials file's
 * {@code bearer.token} or the {@code TWITTER_BEARER_TOKEN} environment variable; never from the
 * command line, never logged ({@link #toString()} names only where it came from). Immutable.
 */
final class BearerToken {
  static final String ENV = "TWITTER_BEARER_TOKEN";
  static final String FILE_KEY = "bearer.token";

  private final String token;
  private final String origin;

  private BearerToken(String token, String origin) {
    this.token = token;
    this.origin = origin;
  }

  /**
   * Loads from {@code file} when it is non-empty, else from the environment.
   *
   * @throws ConfigException when there is no token or the file is readable by others
   */
  static BearerToken load(String file, Map<String, String> env) {
    if (file != null && !file.isEmpty()) {
      Path path = Paths.get(file);
      String value = Credentials.readOwnerOnly(path).getProperty(FILE_KEY);
      if (value == null || value.trim().isEmpty()) {
        throw ConfigException.invalid(
            ProducerSettings.CREDENTIALS_FILE, path, "it has no " + FILE_KEY);
      }
      return of(value.trim(), "file " + path);
    }
    String value = env.get(ENV);
    if (value == null || value.trim().isEmpty()) {
      throw new ConfigException(
          "Missing the X API bearer token: set "
              + ENV
              + " or give "
              + ProducerSettings.CREDENTIALS_FILE
              + " with "
              + FILE_KEY);
    }
    return of(value.trim(), "environment");
  }

  private static BearerToken of(String token, String origin) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        // It goes into an HTTP header as it is: no spaces, controls or non-ASCII.
        throw new ConfigException(
            "The bearer token from the " + origin + " has a character a token cannot hold");
      }
    }
    return new BearerToken(token, origin);
  }

  /** The {@code Authorization} header's value. */
  String header() {
    return "Bearer " + token;
  }

  @Override
  public String toString() {
    return "bearer token from " + origin;
  }
}
