package io.trendline.common.config;

/**
 * A setting is missing, unknown or invalid. The message is one line that names the key, the value
 * and what was expected, fit to print as the only output of a failed start-up.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "Invalid value V for configuration K: why". */
  public static ConfigException invalid(String key, Object value, String why) {
    return new ConfigException(
        "Invalid value " + quote(value) + " for configuration " + key + ": " + why);
  }

  private static String quote(Object value) {
    return value == null ? "(none)" : "'" + value + "'";
  }
}
