package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelocatedKafkaTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
          + " password=\"p\";";

  @Test
  void standardClassNamesAreMappedToWhereTheJarHasThem() {
    Map<String, Object> props = new HashMap<>();
    props.put("sasl.jaas.config", JAAS);
    props.put("sasl.login.callback.handler.class", "org.apache.kafka.X");
    props.put("interceptor.classes", "com.example.Mine,org.apache.kafka.Y");
    props.put("bootstrap.servers", "org.apache.kafka.example:9092");
    RelocatedKafka.rewrite(props, "org.apache.kafka.", "io.trendline.consumer.shaded.kafka.");
    assertEquals(
        "io.trendline.consumer.shaded.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"u\" password=\"p\";",
        props.get("sasl.jaas.config"));
    assertEquals(
        "io.trendline.consumer.shaded.kafka.X", props.get("sasl.login.callback.handler.class"));
    assertEquals(
        "com.example.Mine,io.trendline.consumer.shaded.kafka.Y", props.get("interceptor.classes"));
    assertEquals("org.apache.kafka.example:9092", props.get("bootstrap.servers"), "not a class");
  }

  @Test
  void onAnUnrelocatedClasspathNothingChanges() {
    assertEquals("org.apache.kafka.", RelocatedKafka.STANDARD);
    assertEquals(RelocatedKafka.STANDARD, RelocatedKafka.HERE, "tests run on Kafka's own classes");
    Map<String, Object> props = new HashMap<>();
    props.put("sasl.jaas.config", JAAS);
    RelocatedKafka.toThisJar(props);
    assertEquals(JAAS, props.get("sasl.jaas.config"));
  }
}
