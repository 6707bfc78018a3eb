package io.trendline.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  /** Shaped like a Kafka 3 client: close(Duration). */
  public static final class Kafka3Client implements AutoCloseable {
    public Duration closedWithin;

    public void close(Duration timeout) {
      closedWithin = timeout;
    }

    @Override
    public void close() {
      throw new AssertionError("the bounded close is used");
    }
  }

  /** Shaped like a Kafka 2.0 client: close(long, TimeUnit). */
  public static final class Kafka20Client implements AutoCloseable {
    public long closedWithinMs = -1;

    public void close(long timeout, TimeUnit unit) {
      closedWithinMs = unit.toMillis(timeout);
    }

    @Override
    public void close() {
      throw new AssertionError("the bounded close is used");
    }
  }

  @Test
  void closesWithTheBoundedCloseEitherVersionHas() {
    Kafka3Client k3 = new Kafka3Client();
    KafkaClients.closeWithin(k3, 1500);
    assertEquals(Duration.ofMillis(1500), k3.closedWithin);

    Kafka20Client k20 = new Kafka20Client();
    KafkaClients.closeWithin(k20, 1500);
    assertEquals(1500, k20.closedWithinMs);
  }

  @Test
  void aClientWithNeitherIsAnError() {
    AutoCloseable other = () -> {};
    assertThrows(IllegalStateException.class, () -> KafkaClients.closeWithin(other, 10));
  }
}
