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
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  private Path file(String perms) throws Exception {
    Path f = dir.resolve("twitter.properties");
    Files.write(
        f,
        Arrays.asList(
            "consumer.key=ck", "consumer.secret=cs", "access.token=t", "access.token.secret=ts"),
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void anOwnerOnlyFileIsRead() throws Exception {
    Credentials c = Credentials.load(file("rw-------").toString(), Collections.emptyMap());
    assertEquals("ck", c.consumerKey);
    assertEquals("ts", c.tokenSecret);
    assertFalse(c.toString().contains("cs"), "never shows a secret");
  }

  @Test
  void aFileOthersCanReadIsRefused() throws Exception {
    Path f = file("rw-r--r--");
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> Credentials.load(f.toString(), Collections.emptyMap()));
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void theEnvironmentIsUsedWithoutAFileAndEveryVariableIsRequired() {
    Map<String, String> env = new HashMap<>();
    env.put("TWITTER_CONSUMER_KEY", "ck");
    env.put("TWITTER_CONSUMER_SECRET", "cs");
    env.put("TWITTER_ACCESS_TOKEN", "t");
    ConfigException e = assertThrows(ConfigException.class, () -> Credentials.load("", env));
    assertTrue(e.getMessage().contains("TWITTER_ACCESS_TOKEN_SECRET"), e.getMessage());
    env.put("TWITTER_ACCESS_TOKEN_SECRET", "ts");
    assertEquals("t", Credentials.load("", env).token);
  }
}
