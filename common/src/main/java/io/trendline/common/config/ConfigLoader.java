package io.trendline.common.config;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves settings from, in rising precedence: the defaults of a {@link ConfigDef}, a properties
 * file, the environment, and the command line.
 *
 * <ul>
 *   <li>Command line: {@code --key value} or {@code --key=value}; a boolean key alone ({@code
 *       --dry-run}) means true. {@code --config FILE} names the properties file.
 *   <li>Environment: {@code PREFIX_KEY} (upper case, dots as underscores) for defined keys; for
 *       pass-through prefixes, {@code PREFIX_KAFKA_SASL_MECHANISM} becomes {@code
 *       kafka.sasl.mechanism}. {@code PREFIX_CONFIG} names the file when no flag does.
 *   <li>File: a {@code .properties} file in UTF-8, with the same keys as the flags.
 * </ul>
 *
 * A value that is wrong in any source fails with a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
  /** The flag that names the properties file. */
  public static final String CONFIG_FLAG = "config";

  private final ConfigDef def;
  private final String envPrefix;

  /**
   * @param envPrefix prefix of environment variables, e.g. {@code TRENDLINE_PRODUCER_}
   */
  public ConfigLoader(ConfigDef def, String envPrefix) {
    this.def = def;
    this.envPrefix = envPrefix;
  }

  /** Whether the arguments ask for help ({@code --help} or {@code -h}). */
  public static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  public Config load(String[] args, Map<String, String> env) {
    Map<String, String> flags = parseArgs(args);
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();

    String file = flags.remove(CONFIG_FLAG);
    String fileOrigin = "--" + CONFIG_FLAG;
    if (file == null) {
      file = env.get(envPrefix + "CONFIG");
      fileOrigin = envPrefix + "CONFIG";
    }
    if (file != null) {
      if (file.trim().isEmpty()) {
        throw ConfigException.invalid(fileOrigin, file, "expected the path of a properties file");
      }
      Path path = Paths.get(file.trim());
      for (Map.Entry<String, String> e : readProperties(path, fileOrigin).entrySet()) {
        raw.put(e.getKey(), e.getValue());
        origins.put(e.getKey(), "file " + path);
      }
    }

    for (ConfigDef.Key key : def.keys()) {
      String name = ConfigDef.envName(envPrefix, key.name);
      String v = env.get(name);
      if (v != null) {
        raw.put(key.name, v);
        origins.put(key.name, "env " + name);
      }
    }
    for (String prefix : def.passThroughPrefixes().keySet()) {
      String envStart = ConfigDef.envName(envPrefix, prefix);
      for (Map.Entry<String, String> e : env.entrySet()) {
        if (e.getKey().startsWith(envStart) && e.getKey().length() > envStart.length()) {
          String key =
              prefix
                  + e.getKey()
                      .substring(envStart.length())
                      .toLowerCase(Locale.ROOT)
                      .replace('_', '.');
          raw.put(key, e.getValue());
          origins.put(key, "env " + e.getKey());
        }
      }
    }

    for (Map.Entry<String, String> e : flags.entrySet()) {
      ConfigDef.Key key = def.key(e.getKey());
      if (key == null ? Config.isSecret(e.getKey()) : key.type == ConfigDef.Type.PASSWORD) {
        // Never echo the value: it is the secret.
        throw new ConfigException(
            e.getKey()
                + " holds a secret: set it in the --config file (readable only by its owner) or"
                + " in the environment ("
                + ConfigDef.envName(envPrefix, e.getKey())
                + "), never on the command line, which ps, process listings and the Spark UI"
                + " show");
      }
      raw.put(e.getKey(), e.getValue());
      origins.put(e.getKey(), "--" + e.getKey());
    }
    return def.parse(raw, origins);
  }

  private Map<String, String> parseArgs(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    List<String> list = new ArrayList<>();
    Collections.addAll(list, args);
    for (int i = 0; i < list.size(); i++) {
      String arg = list.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new ConfigException(
            "Unexpected argument '" + arg + "': settings are given as --key value or --key=value");
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        ConfigDef.Key key = def.key(name);
        boolean flagOnly = key != null && key.type == ConfigDef.Type.BOOLEAN;
        boolean hasNext = i + 1 < list.size() && !list.get(i + 1).startsWith("--");
        if (flagOnly && !(hasNext && isBoolean(list.get(i + 1)))) {
          value = "true";
        } else if (hasNext) {
          value = list.get(++i);
        } else {
          throw new ConfigException("Missing value for --" + name);
        }
      }
      if (!name.equals(CONFIG_FLAG) && !def.accepts(name)) {
        // Let ConfigDef produce the message with its suggestion.
        Map<String, String> origin = Collections.singletonMap(name, "--" + name);
        def.parse(Collections.singletonMap(name, value), origin);
      }
      if (flags.put(name, value) != null) {
        throw new ConfigException("--" + name + " is given twice");
      }
    }
    return flags;
  }

  private static boolean isBoolean(String s) {
    return s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
  }

  private static Map<String, String> readProperties(Path path, String origin) {
    Properties props = new Properties();
    try (Reader reader =
        new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (NoSuchFileException e) {
      throw ConfigException.invalid(origin, path, "no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw ConfigException.invalid(origin, path, "cannot read it: " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : props.stringPropertyNames()) {
      out.put(name, props.getProperty(name));
    }
    return out;
  }
}
