package io.trendline.process;

import java.util.HashMap;
import java.util.Map;

/**
 * Credentials for a producer reading the bundled stream server, which checks only that a request is
 * signed (unless it was started with {@code --require-consumer-key}) or, for v2, carries the bearer
 * token the server was given. Throwaway values, the same for every local run, test and benchmark:
 * never real credentials.
 */
public final class ThrowawayCredentials {
  private ThrowawayCredentials() {}

  /** The value of each of the four OAuth 1.0a credentials. */
  public static final String VALUE = "trendline-local";

  /**
   * The producer's environment: the four {@code TWITTER_*} OAuth 1.0a variables and the v2 bearer
   * token {@code TWITTER_BEARER_TOKEN}, each set to {@link #VALUE}.
   */
  public static Map<String, String> producerEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("TWITTER_CONSUMER_KEY", VALUE);
    env.put("TWITTER_CONSUMER_SECRET", VALUE);
    env.put("TWITTER_ACCESS_TOKEN", VALUE);
    env.put("TWITTER_ACCESS_TOKEN_SECRET", VALUE);
    env.put("TWITTER_BEARER_TOKEN", VALUE);
    return env;
  }

  /** The stream server's environment: v2 requests must carry {@link #VALUE} as bearer token. */
  public static Map<String, String> streamServerEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("TRENDLINE_STREAM_BEARER_TOKEN", VALUE);
    return env;
  }
}
