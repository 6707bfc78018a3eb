package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaDeserializersTest {
  @Test
  void aKeyReadsAsKafkasStringDeserializerReadsItMalformedBytesIncluded() {
    StringDeserializer kafka = new StringDeserializer();
    KeywordKey ours = new KeywordKey();
    byte[][] keys = {
      "bitcoin".getBytes(StandardCharsets.UTF_8),
      "サッカー".getBytes(StandardCharsets.UTF_8),
      "#5G \uD83D\uDE80".getBytes(StandardCharsets.UTF_8),
      {},
      {(byte) 0xC3, (byte) 0x28, 'a'}, // an invalid two-byte sequence
      {(byte) 0xF0, (byte) 0x9F}, // a truncated four-byte sequence
    };
    for (byte[] k : keys) {
      assertEquals(kafka.deserialize("t", k), ours.deserialize("t", k));
    }
    assertNull(ours.deserialize("t", null));
  }

  @Test
  void anEncodingSettingIsHonouredAsKafkasIs() {
    byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
    for (String key : new String[] {"key.deserializer.encoding", "deserializer.encoding"}) {
      Map<String, Object> configs = Collections.singletonMap(key, "ISO-8859-1");
      StringDeserializer kafka = new StringDeserializer();
      kafka.configure(configs, true);
      KeywordKey ours = new KeywordKey();
      ours.configure(configs, true);
      assertEquals("café", ours.deserialize("t", latin1));
      assertEquals(kafka.deserialize("t", latin1), ours.deserialize("t", latin1));
    }
    Map<String, Object> both = new HashMap<>();
    both.put("key.deserializer.encoding", "UTF-16BE");
    both.put("deserializer.encoding", "ISO-8859-1");
    KeywordKey ours = new KeywordKey();
    ours.configure(both, true);
    assertEquals("é", ours.deserialize("t", new byte[] {0, (byte) 0xE9}));

    // A key setting that is not a string hides the general one, in Kafka's as in ours: UTF-8.
    Map<String, Object> odd = new HashMap<>();
    odd.put("key.deserializer.encoding", 42);
    odd.put("deserializer.encoding", "ISO-8859-1");
    StringDeserializer kafka = new StringDeserializer();
    kafka.configure(odd, true);
    ours = new KeywordKey();
    ours.configure(odd, true);
    byte[] utf8 = "café".getBytes(StandardCharsets.UTF_8);
    assertEquals(kafka.deserialize("t", utf8), ours.deserialize("t", utf8));
    assertEquals("café", ours.deserialize("t", utf8));
  }

  @Test
  void aValueIsNotRead() {
    assertNull(
        new UnreadValue()
            .deserialize("t", "{\"text\":\"a status\"}".getBytes(StandardCharsets.UTF_8)));
  }
}
