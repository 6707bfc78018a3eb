package io.trendline.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ceiling: a bare {@code KafkaProducer} with the trendline producer's settings sending prepared
 * records ({@code key TAB value} lines), nothing else, {@code PASSES} times over (default 1). Run
 * in its own JVM, as the producer is: {@code BareProducer BOOTSTRAP TOPIC FILE [PASSES]}.
 */
public final class BareProducer {
  private BareProducer() {}

  public static void main(String[] args) throws Exception {
    List<String> lines = Files.readAllLines(Paths.get(args[2]), StandardCharsets.UTF_8);
    int passes = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KafkaSettings.producer(args[0]))) {
      for (int pass = 0; pass < passes; pass++) {
        for (String line : lines) {
          int tab = line.indexOf('\t');
          producer.send(
              new ProducerRecord<>(args[1], line.substring(0, tab), line.substring(tab + 1)),
              (metadata, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
              });
        }
      }
      producer.flush();
    }
    System.out.println("sent " + (long) lines.size() * passes + " failed " + failed.get());
    System.exit(failed.get() == 0 ? 0 : 1);
  }
}
