package io.trendline.common.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validated settings: typed values for every defined key, and the pass-through properties.
 * Immutable. Built by {@link ConfigDef#parse} or {@link ConfigLoader}.
 */
public final class Config {
  private final ConfigDef def;
  private final Map<String, Object> values;
  private final Map<String, String> passThrough;
  private final Map<String, String> origins;

  Config(
      ConfigDef def,
      Map<String, Object> values,
      Map<String, String> passThrough,
      Map<String, String> origins) {
    this.def = def;
    this.values = Collections.unmodifiableMap(values);
    this.passThrough = Collections.unmodifiableMap(passThrough);
    this.origins = Collections.unmodifiableMap(new LinkedHashMap<>(origins));
  }

  private Object get(String key) {
    if (!values.containsKey(key)) {
      throw new IllegalArgumentException("no such setting defined: " + key);
    }
    return values.get(key);
  }

  public String getString(String key) {
    return (String) get(key);
  }

  public int getInt(String key) {
    return (Integer) get(key);
  }

  public long getLong(String key) {
    return (Long) get(key);
  }

  public double getDouble(String key) {
    return (Double) get(key);
  }

  public boolean getBoolean(String key) {
    return (Boolean) get(key);
  }

  public Duration getDuration(String key) {
    return (Duration) get(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getList(String key) {
    return (List<String>) get(key);
  }

  /**
   * Where the value of {@code key} came from: {@code "file PATH"}, {@code "env NAME"} or {@code
   * "--key"}; null for a default.
   */
  public String origin(String key) {
    return origins.get(key);
  }

  /** Whether the user gave this key (in a file, the environment or a flag). */
  public boolean isSet(String key) {
    return origins.containsKey(key);
  }

  /** The properties given under {@code prefix}, with the prefix removed. */
  public Map<String, String> passThrough(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : passThrough.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        out.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    return out;
  }

  /**
   * One line per setting that differs from its default or was passed through, with where it came
   * from; secrets (passwords, JAAS configs, keys) shown as {@code [hidden]}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (ConfigDef.Key key : def.keys()) {
      if (origins.containsKey(key.name)) {
        Object v = values.get(key.name);
        String shown =
            key.type == ConfigDef.Type.PASSWORD
                ? "[hidden]"
                : v instanceof Duration ? Durations.format((Duration) v) : String.valueOf(v);
        sb.append(key.name).append('=').append(shown);
        sb.append("  (").append(origins.get(key.name)).append(")\n");
      }
    }
    for (Map.Entry<String, String> e : passThrough.entrySet()) {
      sb.append(e.getKey()).append('=');
      sb.append(isSecret(e.getKey()) ? "[hidden]" : e.getValue());
      String origin = origins.get(e.getKey());
      if (origin != null) {
        sb.append("  (").append(origin).append(')');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Whether a pass-through key probably holds a secret and must never be printed. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.endsWith(".key")
        || k.contains("token")
        || k.contains("credential");
  }
}
