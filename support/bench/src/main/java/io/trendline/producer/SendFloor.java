package io.trendline.producer;

import io.trendline.common.StreamMessage;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer benchmark's floor: the producer's own stream reading (its settings, credentials and
 * {@link HosebirdSource}, opened as {@link ProducerMain} opens them) and its Kafka producer sending
 * each status's records, the bytes received, trimmed, under keys known beforehand instead of parsed
 * and matched. What any producer of these records from this stream spends at least; the producer's
 * CPU per status minus this one is its parsing, matching and pipeline.
 *
 * <p>{@code SendFloor KEYS MESSAGES PRODUCER_ARGS...}: KEYS has a line per status of the corpus, in
 * the order the stream server sends them, with the status's keys separated by tabs; the stream is
 * read until MESSAGES statuses have come (the corpus served pass after pass), then the producer is
 * flushed. In the bench's classpath beside the producer's jar (hence its package); not shipped.
 */
public final class SendFloor {
  private SendFloor() {}

  public static void main(String[] args) throws Exception {
    List<String[]> keys = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        keys.add(line.split("\t"));
      }
    }
    long messages = Long.parseLong(args[1]);
    ProducerSettings settings =
        ProducerSettings.load(Arrays.copyOfRange(args, 2, args.length), System.getenv());
    String topic = settings.topic();
    AtomicLong failed = new AtomicLong();
    long sent = 0;
    try (HosebirdSource source =
            new HosebirdSource(
                settings.streamHost(),
                settings.keywords(),
                Credentials.load(settings.credentialsFile(), System.getenv()),
                settings.queueCapacity(),
                settings.streamRetries(),
                settings.streamStallTimeout());
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                settings.kafkaProperties(), new StringSerializer(), new ByteArraySerializer())) {
      source.start();
      for (long i = 0; i < messages; i++) {
        byte[] message = source.poll(60, TimeUnit.SECONDS);
        if (message == null || source.dropped() > 0) {
          // A dropped message would put the keys out of step with the statuses.
          throw new IllegalStateException(
              "the stream "
                  + (message == null ? "stalled" : "dropped messages")
                  + " after "
                  + i
                  + " statuses");
        }
        byte[] value = StreamMessage.trimmed(message);
        for (String key : keys.get((int) (i % keys.size()))) {
          producer.send(
              new ProducerRecord<>(topic, key, value),
              (metadata, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
              });
          sent++;
        }
      }
      producer.flush();
    }
    System.out.println("sent " + sent + " failed " + failed.get());
    System.exit(failed.get() == 0 ? 0 : 1);
  }
}
