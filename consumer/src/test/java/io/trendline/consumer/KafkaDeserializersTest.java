package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaDeserializersTest {
  @Test
  void aKeyReadsAsKafkasStringDeserializerReadsItMalformedBytesIncluded() {
    StringDeserializer kafka = new StringDeserializer();
    Utf8Key ours = new Utf8Key();
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
  void aValueIsNotRead() {
    assertNull(
        new UnreadValue()
            .deserialize("t", "{\"text\":\"a status\"}".getBytes(StandardCharsets.UTF_8)));
  }
}
