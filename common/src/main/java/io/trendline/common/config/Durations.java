package io.trendline.common.config;

import java.time.Duration;
import java.util.Locale;

/** Parses and prints durations written as {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}. */
public final class Durations {
  private Durations() {}

  /**
   * Parses a duration with a unit suffix: ms, s, m, h or d.
   *
   * @throws IllegalArgumentException when the text is not such a duration, or negative
   */
  public static Duration parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == 0 || i == s.length()) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 10s, 5m or 2h");
    }
    long amount;
    try {
      amount = Long.parseLong(s.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("duration out of range");
    }
    switch (s.substring(i).trim()) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
      case "min":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      case "d":
        return Duration.ofDays(amount);
      default:
        throw new IllegalArgumentException(
            "unknown unit '" + s.substring(i) + "'; use ms, s, m, h or d");
    }
  }

  /** The shortest exact form: {@code 300s} prints as {@code 5m}, {@code 1500ms} as itself. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
