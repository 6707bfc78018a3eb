package io.trendline.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings an application accepts: for each key a type, a default (or none, meaning required),
 * a validator and a doc string; plus pass-through prefixes (such as {@code kafka.}) under which any
 * key is accepted and handed on verbatim to a client library.
 *
 * <p>{@link #parse} turns raw strings into a validated {@link Config}, failing with one {@link
 * ConfigException} that names the key, the value and what was expected. Build a definition once,
 * then use it from any thread.
 */
public final class ConfigDef {
  /** Value types, each with its parsing rule. */
  public enum Type {
    STRING,
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    /** With a unit: 500ms, 10s, 5m, 2h. */
    DURATION,
    /** Comma-separated, each element trimmed, empty elements dropped. */
    LIST,
    /** A string never printed back. */
    PASSWORD
  }

  /** Checks a parsed value. */
  public interface Validator {
    /**
     * @throws IllegalArgumentException with the reason, which becomes the error's last part
     */
    void ensureValid(Object value);
  }

  /** Marks a key with no default: it must be given. */
  public static final Object REQUIRED = new Object();

  /** One defined key. */
  public static final class Key {
    public final String name;
    public final Type type;
    public final Object defaultValue;
    public final Validator validator;
    public final String doc;

    Key(String name, Type type, Object defaultValue, Validator validator, String doc) {
      this.name = name;
      this.type = type;
      this.defaultValue = defaultValue;
      this.validator = validator;
      this.doc = doc;
    }

    public boolean required() {
      return defaultValue == REQUIRED;
    }
  }

  private final Map<String, Key> keys = new LinkedHashMap<>();
  private final Map<String, String> passThrough = new LinkedHashMap<>();

  /** Defines a key. Defaults are given as strings, exactly as a user would write them. */
  public ConfigDef define(
      String name, Type type, Object defaultValue, Validator validator, String doc) {
    if (keys.containsKey(name)) {
      throw new IllegalArgumentException("key defined twice: " + name);
    }
    Key key = new Key(name, type, defaultValue, validator, doc);
    if (defaultValue != REQUIRED && defaultValue != null) {
      // A default must itself be valid: fail at definition, not at a user's start-up.
      parseValue(key, String.valueOf(defaultValue));
    }
    keys.put(name, key);
    return this;
  }

  public ConfigDef define(String name, Type type, Object defaultValue, String doc) {
    return define(name, type, defaultValue, null, doc);
  }

  /** Accepts any key under {@code prefix} (which ends with a dot) and passes it through. */
  public ConfigDef passThrough(String prefix, String doc) {
    if (!prefix.endsWith(".")) {
      throw new IllegalArgumentException("a pass-through prefix ends with a dot: " + prefix);
    }
    passThrough.put(prefix, doc);
    return this;
  }

  public Collection<Key> keys() {
    return Collections.unmodifiableCollection(keys.values());
  }

  public Key key(String name) {
    return keys.get(name);
  }

  public Map<String, String> passThroughPrefixes() {
    return Collections.unmodifiableMap(passThrough);
  }

  boolean accepts(String name) {
    return keys.containsKey(name) || passThroughPrefixOf(name) != null;
  }

  String passThroughPrefixOf(String name) {
    for (String prefix : passThrough.keySet()) {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        return prefix;
      }
    }
    return null;
  }

  /**
   * Validates raw values (already merged from every source) into a {@link Config}.
   *
   * @param raw key to value; keys must be defined or under a pass-through prefix
   * @param origins key to where its value came from, for messages; may be empty
   */
  public Config parse(Map<String, String> raw, Map<String, String> origins) {
    for (String name : raw.keySet()) {
      if (!accepts(name)) {
        throw new ConfigException(
            "Unknown configuration "
                + name
                + (origins.containsKey(name) ? " (from " + origins.get(name) + ")" : "")
                + closest(name));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Key key : keys.values()) {
      String given = raw.get(key.name);
      Object value;
      if (given != null) {
        value = parseValue(key, given);
      } else if (key.required()) {
        throw new ConfigException("Missing required configuration " + key.name + ": " + key.doc);
      } else {
        value = key.defaultValue == null ? null : parseValue(key, String.valueOf(key.defaultValue));
      }
      values.put(key.name, value);
    }
    Map<String, String> passed = new TreeMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      if (!keys.containsKey(e.getKey())) {
        passed.put(e.getKey(), e.getValue());
      }
    }
    return new Config(this, values, passed, origins);
  }

  public Config parse(Map<String, String> raw) {
    return parse(raw, Collections.<String, String>emptyMap());
  }

  private static Object parseValue(Key key, String text) {
    Object value;
    String trimmed = text.trim();
    try {
      switch (key.type) {
        case STRING:
        case PASSWORD:
          value = trimmed;
          break;
        case INT:
          value = Integer.parseInt(trimmed);
          break;
        case LONG:
          value = Long.parseLong(trimmed);
          break;
        case DOUBLE:
          value = Double.parseDouble(trimmed);
          break;
        case BOOLEAN:
          if (trimmed.equalsIgnoreCase("true")) {
            value = Boolean.TRUE;
          } else if (trimmed.equalsIgnoreCase("false")) {
            value = Boolean.FALSE;
          } else {
            throw new IllegalArgumentException("expected true or false");
          }
          break;
        case DURATION:
          value = Durations.parse(trimmed);
          break;
        case LIST:
          List<String> list = new ArrayList<>();
          for (String part : trimmed.split(",", -1)) {
            if (!part.trim().isEmpty()) {
              list.add(part.trim());
            }
          }
          value = Collections.unmodifiableList(list);
          break;
        default:
          throw new AssertionError(key.type);
      }
    } catch (NumberFormatException e) {
      throw ConfigException.invalid(
          key.name, shown(key, text), "expected " + article(key.type) + " number");
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(key.name, shown(key, text), e.getMessage());
    }
    if (key.validator != null) {
      try {
        key.validator.ensureValid(value);
      } catch (IllegalArgumentException e) {
        throw ConfigException.invalid(key.name, shown(key, text), e.getMessage());
      }
    }
    return value;
  }

  private static String article(Type type) {
    switch (type) {
      case INT:
        return "a whole";
      case LONG:
        return "a whole";
      default:
        return "a";
    }
  }

  static String shown(Key key, String text) {
    return key != null && key.type == Type.PASSWORD ? "[hidden]" : text;
  }

  private String closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : keys.keySet()) {
      int d = distance(name, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    if (best != null && bestDistance <= Math.max(2, name.length() / 4)) {
      return "; did you mean " + best + "?";
    }
    if (!passThrough.isEmpty()) {
      return "; settings for a client library go under "
          + String.join(" or ", passThrough.keySet());
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The environment variable for a key: {@code PREFIX} + the key upper-cased, dots to _. */
  public static String envName(String envPrefix, String key) {
    return envPrefix + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** A help text listing every key, its type, default and doc, wrapped for a terminal. */
  public String help(String envPrefix) {
    StringBuilder sb = new StringBuilder();
    for (Key key : keys.values()) {
      sb.append("  --").append(key.name).append(' ').append(placeholder(key.type));
      sb.append("\n      ").append(wrap(key.doc, 72, "      "));
      sb.append("\n      ");
      if (key.required()) {
        sb.append("required");
      } else if (key.defaultValue == null || String.valueOf(key.defaultValue).isEmpty()) {
        sb.append("default: none");
      } else {
        sb.append("default: ").append(key.defaultValue);
      }
      sb.append("; env ").append(envName(envPrefix, key.name)).append('\n');
    }
    for (Map.Entry<String, String> e : passThrough.entrySet()) {
      sb.append("  --").append(e.getKey()).append("<property> VALUE\n      ");
      sb.append(wrap(e.getValue(), 72, "      "));
      sb.append("\n      env ")
          .append(envName(envPrefix, e.getKey()))
          .append("<PROPERTY> (underscores become dots)\n");
    }
    return sb.toString();
  }

  private static String placeholder(Type type) {
    switch (type) {
      case DURATION:
        return "DURATION";
      case LIST:
        return "A,B,...";
      case BOOLEAN:
        return "true|false";
      case INT:
      case LONG:
        return "N";
      case DOUBLE:
        return "X";
      default:
        return "VALUE";
    }
  }

  private static String wrap(String text, int width, String indent) {
    StringBuilder out = new StringBuilder();
    int col = 0;
    for (String word : text.split(" ")) {
      if (col > 0 && col + 1 + word.length() > width) {
        out.append('\n').append(indent);
        col = 0;
      } else if (col > 0) {
        out.append(' ');
        col++;
      }
      out.append(word);
      col += word.length();
    }
    return out.toString();
  }

  // ---- Common validators ----

  /** Accepts numbers in [min, max]. */
  public static Validator between(long min, long max) {
    return value -> {
      long v = ((Number) value).longValue();
      if (v < min || v > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
    };
  }

  /** Accepts numbers of at least {@code min}. */
  public static Validator atLeast(long min) {
    return value -> {
      long v = ((Number) value).longValue();
      if (v < min) {
        throw new IllegalArgumentException("must be at least " + min);
      }
    };
  }

  /** Accepts durations of at least {@code min}. */
  public static Validator atLeast(Duration min) {
    return value -> {
      if (((Duration) value).compareTo(min) < 0) {
        throw new IllegalArgumentException("must be at least " + Durations.format(min));
      }
    };
  }

  /** Accepts non-empty strings and lists. */
  public static Validator nonEmpty() {
    return value -> {
      boolean empty =
          value instanceof String ? ((String) value).isEmpty() : ((List<?>) value).isEmpty();
      if (empty) {
        throw new IllegalArgumentException("must not be empty");
      }
    };
  }

  /** Accepts one of the given strings (case-sensitive). */
  public static Validator oneOf(String... allowed) {
    List<String> list = Arrays.asList(allowed);
    return value -> {
      if (!list.contains(value)) {
        throw new IllegalArgumentException("expected one of " + String.join(", ", list));
      }
    };
  }
}
