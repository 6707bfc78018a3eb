package io.trendline.common.kafka;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Start-up check of a topic, so an unreachable cluster or a missing topic stops an application with
 * one clear line within a bounded time, instead of a send that blocks and fails later (the
 * producer) or a stream that reads nothing forever (the consumer). Creates the topic when asked to.
 */
public final class KafkaTopics {
  private KafkaTopics() {}

  /** Thrown with a message fit to print as the only line of a failed start-up. */
  public static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
      super(message);
    }
  }

  /** What start-up learnt of a topic. */
  public static final class Topic {
    /** Its number of partitions. */
    public final int partitions;

    /**
     * The largest record batch it accepts ({@code max.message.bytes}, the broker's {@code
     * message.max.bytes} unless the topic overrides it), or -1 when the cluster would not say
     * (DescribeConfigs not allowed).
     */
    public final int maxMessageBytes;

    Topic(int partitions, int maxMessageBytes) {
      this.partitions = partitions;
      this.maxMessageBytes = maxMessageBytes;
    }
  }

  /**
   * Checks that {@code topic} exists, waiting at most {@code timeoutMs} for the cluster. {@code
   * clientProps} are a client's properties (bootstrap servers, security); what an admin client does
   * not know is left out.
   */
  public static Topic check(Map<String, Object> clientProps, String topic, long timeoutMs)
      throws StartupException, InterruptedException {
    return ensure(clientProps, topic, false, 0, (short) 0, timeoutMs);
  }

  /**
   * Checks that {@code topic} exists, creating it with {@code partitions} and {@code replication}
   * if {@code create}, waiting at most {@code timeoutMs} for the cluster.
   */
  public static Topic ensure(
      Map<String, Object> clientProps,
      String topic,
      boolean create,
      int partitions,
      short replication,
      long timeoutMs)
      throws StartupException, InterruptedException {
    Map<String, Object> adminProps = new HashMap<>();
    for (Map.Entry<String, Object> e : clientProps.entrySet()) {
      // Only what an admin client understands (security settings included), to avoid
      // "supplied but isn't a known config" noise.
      if (AdminClientConfig.configNames().contains(e.getKey())) {
        adminProps.put(e.getKey(), e.getValue());
      }
    }
    adminProps.put(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, Integer.MAX_VALUE));
    Object servers = clientProps.get("bootstrap.servers");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    AdminClient admin = AdminClient.create(adminProps);
    try {
      try {
        TopicDescription d =
            admin
                .describeTopics(Collections.singleton(topic))
                .all()
                .get(remaining(deadline), TimeUnit.MILLISECONDS)
                .get(topic);
        return new Topic(d.partitions().size(), maxMessageBytes(admin, topic, deadline));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new StartupException(
              "cannot use Kafka at " + servers + ": " + e.getCause().getMessage());
        }
      }
      if (!create) {
        throw new StartupException(
            "topic '"
                + topic
                + "' does not exist on Kafka at "
                + servers
                + "; create it (the producer does with topic.create=true)");
      }
      try {
        admin
            .createTopics(Collections.singleton(new NewTopic(topic, partitions, replication)))
            .all()
            .get(remaining(deadline), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new StartupException(
              "cannot create topic '"
                  + topic
                  + "' on Kafka at "
                  + servers
                  + ": "
                  + e.getCause().getMessage());
        }
      }
      return new Topic(partitions, maxMessageBytes(admin, topic, deadline));
    } catch (TimeoutException e) {
      throw new StartupException(
          "cannot reach Kafka at " + servers + " within " + timeoutMs / 1000 + " s");
    } finally {
      // An unreachable cluster would keep a plain close() waiting on its pending calls.
      KafkaClients.closeWithin(admin, 1000);
    }
  }

  /** The topic's max.message.bytes, or -1 when the cluster would not say. */
  private static int maxMessageBytes(AdminClient admin, String topic, long deadline)
      throws InterruptedException, TimeoutException {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config =
          admin
              .describeConfigs(Collections.singleton(resource))
              .all()
              .get(remaining(deadline), TimeUnit.MILLISECONDS)
              .get(resource);
      ConfigEntry entry = config == null ? null : config.get("max.message.bytes");
      return entry == null || entry.value() == null ? -1 : Integer.parseInt(entry.value());
    } catch (ExecutionException | NumberFormatException e) {
      return -1;
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }
}
