package io.trendline.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trendline.common.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
  @TempDir Path dir;

  private Path file(String text, String perms) throws Exception {
    Path f = dir.resolve("credentials.properties");
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void fromTheEnvironmentOrAnOwnerOnlyFileNeverShown() throws Exception {
    Map<String, String> env = Collections.singletonMap(BearerToken.ENV, " AAAA%2Fsecret ");
    BearerToken fromEnv = BearerToken.load("", env);
    assertEquals("Bearer AAAA%2Fsecret", fromEnv.header());
    assertEquals("bearer token from environment", fromEnv.toString());
    Path f = file("consumer.key=k\nbearer.token=BBBB\n", "rw-------");
    BearerToken fromFile = BearerToken.load(f.toString(), env);
    assertEquals("Bearer BBBB", fromFile.header(), "the file wins over the environment");
    assertFalse(fromFile.toString().contains("BBBB"));
  }

  @Test
  void aMissingExposedOrUnusableTokenIsAConfigurationError() throws Exception {
    ConfigException none =
        assertThrows(
            ConfigException.class,
            () -> BearerToken.load("", Collections.<String, String>emptyMap()));
    assertTrue(none.getMessage().contains("TWITTER_BEARER_TOKEN"), none.getMessage());
    Path open = file("bearer.token=BBBB\n", "rw-r--r--");
    ConfigException exposed =
        assertThrows(ConfigException.class, () -> BearerToken.load(open.toString(), null));
    assertTrue(exposed.getMessage().contains("chmod 600"), exposed.getMessage());
    Path without = file("consumer.key=k\n", "rw-------");
    assertTrue(
        assertThrows(ConfigException.class, () -> BearerToken.load(without.toString(), null))
            .getMessage()
            .contains("it has no bearer.token"));
    ConfigException spaced =
        assertThrows(
            ConfigException.class,
            () -> BearerToken.load("", Collections.singletonMap(BearerToken.ENV, "AB CD")));
    assertFalse(spaced.getMessage().contains("AB CD"), "the error does not show the token");
  }
}
