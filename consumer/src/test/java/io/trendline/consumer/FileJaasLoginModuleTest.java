package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJaasLoginModuleTest {
  @TempDir Path dir;

  private Path settings(String... lines) throws Exception {
    return Files.write(
        dir.resolve("consumer.properties"), Arrays.asList(lines), StandardCharsets.UTF_8);
  }

  private static Map<String, String> options(Path file) {
    Map<String, String> o = new HashMap<>();
    o.put("file", file.toString());
    o.put("key", "kafka.sasl.jaas.config");
    return o;
  }

  @Test
  void theSubjectGetsTheCredentialsOfTheModuleTheFileNames() throws Exception {
    Path file =
        settings(
            "topic=tweets",
            "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"alice\" password=\"s3cret\";");
    Subject subject = new Subject();
    FileJaasLoginModule module = new FileJaasLoginModule();
    module.initialize(subject, null, Collections.<String, Object>emptyMap(), options(file));
    assertTrue(module.login());
    assertTrue(module.commit());
    assertEquals(Collections.singleton("alice"), subject.getPublicCredentials(String.class));
    assertEquals(Collections.singleton("s3cret"), subject.getPrivateCredentials(String.class));
  }

  @Test
  void aMissingSettingOrFileSaysWhereWithoutTheSecret() throws Exception {
    Path file = settings("topic=tweets", "kafka.ssl.key.password=hunter2");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new FileJaasLoginModule()
                    .initialize(
                        new Subject(),
                        null,
                        Collections.<String, Object>emptyMap(),
                        options(file)));
    assertTrue(e.getMessage().contains("kafka.sasl.jaas.config is not set in"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new FileJaasLoginModule()
                .initialize(
                    new Subject(),
                    null,
                    Collections.<String, Object>emptyMap(),
                    options(dir.resolve("missing").resolve("nowhere.properties"))));
  }

  @Test
  void theReferenceIsAJaasValueNamingTheFileAndTheKey() {
    assertEquals(
        "io.trendline.consumer.FileJaasLoginModule required file=\"conf/my \\\"x\\\".properties\""
            + " key=\"kafka.sasl.jaas.config\";",
        FileJaasLoginModule.reference("conf/my \"x\".properties", "kafka.sasl.jaas.config"));
  }
}
