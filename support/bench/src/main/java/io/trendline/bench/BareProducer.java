package io.trendline.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ceiling: a bare {@code KafkaProducer} with the trendline producer's settings and serializers
 * (string keys, the values as bytes) sending prepared records ({@code key TAB value} lines, a
 * status's records one after the other), nothing else, {@code PASSES} times over (default 1). The
 * values are held as UTF-8 bytes, one array per status shared by its records, as the producer sends
 * them. (Held as strings, as they were until the producer kept the bytes it received, the values
 * took about 400 MB of the 512 MB heap: the collector's time and each value's encoding went into
 * the ceiling, which cost 53-62 ms per 1,000 statuses instead of 19-24.) Run in its own JVM, as the
 * producer is: {@code BareProducer BOOTSTRAP TOPIC FILE [PASSES]}.
 */
public final class BareProducer {
  private BareProducer() {}

  public static void main(String[] args) throws Exception {
    List<String> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(Paths.get(args[2]), StandardCharsets.UTF_8)) {
      String previous = null;
      byte[] value = null;
      for (String line; (line = in.readLine()) != null; ) {
        int tab = line.indexOf('\t');
        String text = line.substring(tab + 1);
        if (!text.equals(previous)) {
          value = text.getBytes(StandardCharsets.UTF_8);
          previous = text;
        }
        keys.add(line.substring(0, tab));
        values.add(value);
      }
    }
    int passes = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KafkaSettings.producer(args[0]), new StringSerializer(), new ByteArraySerializer())) {
      for (int pass = 0; pass < passes; pass++) {
        for (int i = 0; i < keys.size(); i++) {
          producer.send(
              new ProducerRecord<>(args[1], keys.get(i), values.get(i)),
              (metadata, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
              });
        }
      }
      producer.flush();
    }
    System.out.println("sent " + (long) keys.size() * passes + " failed " + failed.get());
    System.exit(failed.get() == 0 ? 0 : 1);
  }
}
