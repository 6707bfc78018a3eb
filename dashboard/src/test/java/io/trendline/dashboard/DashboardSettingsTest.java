package io.trendline.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigDef;
import io.trendline.common.config.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DashboardSettingsTest {
  static Map<String, String> with(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("topic", "rankings");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static String error(String... kv) {
    return assertThrows(ConfigException.class, () -> DashboardSettings.of(with(kv))).getMessage();
  }

  @Test
  void defaultsServeLoopbackAndReadTheLastFifteenMinutes() {
    DashboardSettings s = DashboardSettings.of(with());
    assertEquals("rankings", s.topic());
    assertEquals("127.0.0.1", s.httpHost());
    assertEquals(8050, s.httpPort());
    assertEquals(Duration.ofMinutes(15), s.history());
    assertEquals(Duration.ofSeconds(10), s.staleAfter());
    Map<String, Object> k = s.kafkaProperties();
    assertEquals("localhost:9092", k.get("bootstrap.servers"));
    assertEquals("false", k.get("enable.auto.commit"));
    assertEquals(null, k.get("group.id"));
  }

  @Test
  void securitySettingsPassThroughToTheConsumer() {
    Map<String, Object> k =
        DashboardSettings.of(
                with("kafka.security.protocol", "SASL_SSL", "kafka.bootstrap.servers", "b:9093"))
            .kafkaProperties();
    assertEquals("SASL_SSL", k.get("security.protocol"));
    assertEquals("b:9093", k.get("bootstrap.servers"));
  }

  @Test
  void aWrongValueIsOneLineNamingTheSetting() {
    String missing =
        assertThrows(
                ConfigException.class,
                () -> DashboardSettings.of(Collections.<String, String>emptyMap()))
            .getMessage();
    assertTrue(missing.startsWith("Missing required configuration topic: "), missing);
    assertTrue(
        error("http.port", "70000")
            .startsWith("Invalid value '70000' for configuration http.port"));
    assertEquals(
        "Invalid value '30s' for configuration history: expected between 1m and 1h",
        error("history", "30s"));
    assertEquals(
        "Invalid value 'dashboards' for configuration kafka.group.id: the dashboard joins no group"
            + " and commits nothing",
        error("kafka.group.id", "dashboards"));
    String kafka = error("kafka.security.protocol", "PLAIN");
    assertTrue(
        kafka.startsWith("Invalid value 'PLAIN' for configuration kafka.security.protocol"), kafka);
    for (String e : new String[] {missing, kafka, error("max.pages", "0")}) {
      assertFalse(e.contains("\n"), e);
    }
  }

  @Test
  void everySettingGivenAWrongValueIsOneLineNamingIt() {
    int checked = 0;
    for (ConfigDef.Key key : DashboardSettings.DEF.keys()) {
      String[] wrong;
      switch (key.type) {
        case INT:
          wrong = new String[] {"abc", "-5", "99999999999999999999"};
          break;
        case DURATION:
          wrong = new String[] {"10 parsecs", "-1s", "0ms"};
          break;
        default:
          wrong = new String[] {""};
      }
      for (String bad : wrong) {
        String e = error(key.name, bad);
        assertTrue(e.contains(key.name), key.name + "=" + bad + ": " + e);
        assertFalse(e.contains("\n"), e);
      }
      checked++;
    }
    assertEquals(DashboardSettings.DEF.keys().size(), checked);
  }

  @Test
  void aConfigurationErrorExitsWithTwoAndOneLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DashboardMain.run(
            new String[] {"--topic", "t", "--stale.after", "soon"},
            Collections.<String, String>emptyMap(),
            new PrintStream(out, true, "UTF-8"),
            new PrintStream(err, true, "UTF-8"),
            new CountDownLatch(0));
    assertEquals(2, code);
    String e = new String(err.toByteArray(), StandardCharsets.UTF_8);
    assertEquals(1, e.split("\n").length, e);
    assertEquals(
        true,
        e.startsWith("trendline-dashboard: Invalid value 'soon' for configuration stale.after"),
        e);
    assertEquals(0, out.size());
  }

  @Test
  void theShippedConfigFileLoadsAndNamesEverySetting() throws Exception {
    Path conf = Paths.get("..", "conf", "dashboard.properties");
    DashboardSettings s =
        DashboardSettings.load(
            new String[] {"--config", conf.toString()}, Collections.<String, String>emptyMap());
    assertEquals("trends", s.topic());
    String text = new String(Files.readAllBytes(conf), StandardCharsets.UTF_8);
    for (ConfigDef.Key key : DashboardSettings.DEF.keys()) {
      assertTrue(text.contains(key.name + "="), key.name + " in " + conf);
    }
  }

  @Test
  void helpListsEverySetting() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        DashboardMain.run(
            new String[] {"--help"},
            Collections.<String, String>emptyMap(),
            new PrintStream(out, true, "UTF-8"),
            new PrintStream(new ByteArrayOutputStream(), true, "UTF-8"),
            new CountDownLatch(0));
    assertEquals(0, code);
    String help = new String(out.toByteArray(), StandardCharsets.UTF_8);
    for (String key :
        new String[] {
          "topic",
          "http.host",
          "http.port",
          "history",
          "stale.after",
          "max.pages",
          "max.record.bytes",
          "kafka.bootstrap.servers",
          "TRENDLINE_DASHBOARD_HTTP_PORT"
        }) {
      assertEquals(true, help.contains(key), key + " in\n" + help);
    }
  }
}
