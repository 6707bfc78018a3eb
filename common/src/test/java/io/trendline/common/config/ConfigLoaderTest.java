package io.trendline.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigDef.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final ConfigDef DEF =
      new ConfigDef()
          .define("topic", Type.STRING, "tweets", ConfigDef.nonEmpty(), "topic")
          .define("top", Type.INT, "10", ConfigDef.between(1, 100), "top n")
          .define("window", Type.DURATION, "300s", "window")
          .define("dry.run", Type.BOOLEAN, "false", "dry run")
          .define("keywords", Type.LIST, ConfigDef.REQUIRED, ConfigDef.nonEmpty(), "keywords")
          .define("secret", Type.PASSWORD, "", "a secret")
          .passThrough("kafka.", "client");

  @TempDir Path dir;

  private static Config load(Map<String, String> env, String... args) {
    return new ConfigLoader(DEF, "T_").load(args, env);
  }

  @Test
  void defaultsFileEnvironmentThenFlagsInRisingPrecedence() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.write(
        file,
        Arrays.asList("keywords=a,b", "top=20", "window=5m", "kafka.acks=1"),
        StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("T_TOP", "30");
    env.put("T_KAFKA_SASL_MECHANISM", "PLAIN");
    env.put("UNRELATED", "x");

    Config c = load(env, "--config", file.toString(), "--top=40", "--dry.run");
    assertEquals("tweets", c.getString("topic"));
    assertEquals(40, c.getInt("top"));
    assertEquals(Duration.ofMinutes(5), c.getDuration("window"));
    assertTrue(c.getBoolean("dry.run"));
    assertEquals(Arrays.asList("a", "b"), c.getList("keywords"));
    Map<String, String> kafka = c.passThrough("kafka.");
    assertEquals("1", kafka.get("acks"));
    assertEquals("PLAIN", kafka.get("sasl.mechanism"));

    Config fromEnv = load(env, "--config", file.toString());
    assertEquals(30, fromEnv.getInt("top"));
    assertFalse(fromEnv.getBoolean("dry.run"));
  }

  @Test
  void errorsNameTheKeyTheValueAndTheExpectation() {
    Map<String, String> env = Collections.emptyMap();
    ConfigException e =
        assertThrows(ConfigException.class, () -> load(env, "--keywords", "a", "--top", "500"));
    assertEquals(
        "Invalid value '500' for configuration top: must be between 1 and 100", e.getMessage());
    e = assertThrows(ConfigException.class, () -> load(env, "--keywords", "a", "--top", "ten"));
    assertEquals(
        "Invalid value 'ten' for configuration top: expected a whole number", e.getMessage());
    e = assertThrows(ConfigException.class, () -> load(env, "--keywords=a", "--window", "300"));
    assertTrue(e.getMessage().startsWith("Invalid value '300' for configuration window: "));
    e = assertThrows(ConfigException.class, () -> load(env));
    assertTrue(e.getMessage().startsWith("Missing required configuration keywords"));
    e = assertThrows(ConfigException.class, () -> load(env, "--keywords=a", "--tpo", "x"));
    assertEquals("Unknown configuration tpo (from --tpo); did you mean top?", e.getMessage());
    e = assertThrows(ConfigException.class, () -> load(env, "--keywords=a", "stray"));
    assertTrue(e.getMessage().startsWith("Unexpected argument 'stray'"));
    e = assertThrows(ConfigException.class, () -> load(env, "--keywords=a", "--top"));
    assertEquals("Missing value for --top", e.getMessage());
    e =
        assertThrows(
            ConfigException.class,
            () -> load(env, "--keywords=a", "--config", dir.resolve("nope").toString()));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void secretsAreNeverPrintedBack() {
    Map<String, String> env = new HashMap<>();
    env.put("T_SECRET", "hunter2");
    env.put("T_KAFKA_SASL_JAAS_CONFIG", "user pass");
    Config c = load(env, "--keywords=a", "--kafka.acks=all");
    String described = c.describe();
    assertFalse(described.contains("hunter2"), described);
    assertFalse(described.contains("user pass"), described);
    assertTrue(described.contains("kafka.acks=all"), described);
  }

  @Test
  void durationsParseAndFormat() {
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofSeconds(10), Durations.parse("10s"));
    assertEquals(Duration.ofHours(2), Durations.parse("2H"));
    assertEquals("5m", Durations.format(Duration.ofSeconds(300)));
    assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("10 parsecs"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
  }

  @Test
  void aDefaultThatFailsItsOwnValidatorIsAProgrammingError() {
    assertThrows(
        ConfigException.class,
        () -> new ConfigDef().define("n", Type.INT, "0", ConfigDef.atLeast(1), "n"));
  }

  @Test
  void aSecretOnTheCommandLineIsRefusedWithoutEchoingIt() {
    Map<String, String> env = Collections.emptyMap();
    for (String[] args :
        new String[][] {
          {"--keywords=a", "--secret", "hunter2"},
          {"--keywords=a", "--kafka.sasl.jaas.config=user hunter2"},
          {"--keywords=a", "--kafka.ssl.key.password", "hunter2"}
        }) {
      ConfigException e = assertThrows(ConfigException.class, () -> load(env, args));
      assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
      assertTrue(e.getMessage().contains("holds a secret"), e.getMessage());
      assertTrue(
          e.getMessage().contains("(T_"), "names the environment variable: " + e.getMessage());
    }
    assertEquals(
        "x",
        load(env, "--keywords=a", "--kafka.sasl.mechanism=x")
            .passThrough("kafka.")
            .get("sasl.mechanism"));
  }
}
