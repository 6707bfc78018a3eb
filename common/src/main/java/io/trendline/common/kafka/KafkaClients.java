package io.trendline.common.kafka;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What Kafka's clients do differently across the versions this project is built against. */
public final class KafkaClients {
  private KafkaClients() {}

  /**
   * Closes a Kafka client (producer, consumer, admin client), waiting at most {@code ms} for what
   * it has pending. Kafka 2.0 (Spark 2.4's) has {@code close(long, TimeUnit)}, Kafka 3 (Spark
   * 3.5's) only {@code close(Duration)}: one source for both, by reflection, since a jar is shaded
   * against either.
   *
   * @throws IllegalStateException if the client has neither or its close fails
   */
  public static void closeWithin(AutoCloseable client, long ms) {
    try {
      client.getClass().getMethod("close", Duration.class).invoke(client, Duration.ofMillis(ms));
      return;
    } catch (NoSuchMethodException e) {
      // Kafka 2.0: below.
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot close the Kafka client", e);
    }
    try {
      client
          .getClass()
          .getMethod("close", long.class, TimeUnit.class)
          .invoke(client, ms, TimeUnit.MILLISECONDS);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot close the Kafka client", e);
    }
  }
}
