package io.trendline.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ranking topic into the {@link Board} with a plain Kafka consumer (assigned partitions,
 * no group, no commits): waits for the topic to exist, reads back the records of the last {@code
 * historyMs} by timestamp, then follows the topic. A record that is not a ranking is counted and
 * shown as a warning. Partitions added to the topic later are read from their beginning.
 */
final class TopicReader implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);

  /** How often the topic's partitions are looked up again (for partitions added later). */
  static final long PARTITION_CHECK_MS = 30_000;

  /** Bad records logged one by one; after that, only counted (the page shows the latest). */
  static final int BAD_LOGGED = 20;

  /** The wait before reconnecting after an error, doubling up to the maximum. */
  static final long FIRST_BACKOFF_MS = 1000;

  static final long MAX_BACKOFF_MS = 30_000;

  /**
   * A ranking dated further than this after its record's time (or our clock) is refused: one
   * ranking from the far future would otherwise push every real one out of the history.
   */
  static final long FUTURE_TOLERANCE_MS = 5 * 60_000;

  private final Map<String, Object> props;
  private final String topic;
  private final long historyMs;
  private final int maxRecordBytes;
  private final Board board;
  private final LongSupplier clock;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  TopicReader(
      Map<String, Object> props,
      String topic,
      long historyMs,
      int maxRecordBytes,
      Board board,
      LongSupplier clock) {
    this.props = new HashMap<>(props);
    this.topic = topic;
    this.historyMs = historyMs;
    this.maxRecordBytes = maxRecordBytes;
    this.board = board;
    this.clock = clock;
  }

  @Override
  public void run() {
    String servers = String.valueOf(props.get("bootstrap.servers"));
    long backoffMs = FIRST_BACKOFF_MS;
    while (closed.getCount() > 0) {
      try {
        if (follow(servers)) {
          backoffMs = FIRST_BACKOFF_MS;
        }
      } catch (WakeupException e) {
        return; // closed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (KafkaException e) {
        if (closed.getCount() == 0) {
          return;
        }
        // Whatever it is (a broker gone, an unresolvable address, a failed login), the dashboard
        // says so on the page and in /healthz, and tries again: Kafka may come back.
        LOG.warn(
            "Cannot read '{}' from Kafka at {}: {}; retrying in {} s",
            topic,
            servers,
            e.toString(),
            backoffMs / 1000);
        board.state("error: " + e.getMessage() + " (retrying)");
        try {
          closed.await(backoffMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /**
   * One session with Kafka: waits for the topic, reads back the history, then follows the topic
   * until closed. Returns whether it got to follow the topic live.
   */
  private boolean follow(String servers) throws InterruptedException {
    boolean live = false;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
      consumer = c;
      if (closed.getCount() == 0) {
        return false;
      }
      board.state("connecting to Kafka at " + servers);
      List<TopicPartition> partitions = awaitTopic(c, servers);
      if (partitions == null) {
        return false;
      }
      Map<TopicPartition, Long> ends = start(c, partitions);
      long nextCheck = clock.getAsLong() + PARTITION_CHECK_MS;
      while (closed.getCount() > 0) {
        ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          read(r, live);
        }
        if (!live && caughtUp(c, ends)) {
          live = true;
          board.state(Board.LIVE);
          LOG.info("Read back the last {} s of '{}'; following it", historyMs / 1000, topic);
        }
        if (clock.getAsLong() >= nextCheck) {
          nextCheck = clock.getAsLong() + PARTITION_CHECK_MS;
          addNewPartitions(c);
        }
      }
      return live;
    } finally {
      consumer = null;
    }
  }

  /** The topic's partitions once it exists; null when closed first. */
  private List<TopicPartition> awaitTopic(KafkaConsumer<byte[], byte[]> c, String servers)
      throws InterruptedException {
    boolean said = false;
    boolean unreachable = false;
    while (closed.getCount() > 0) {
      // listTopics, not partitionsFor: asking for one topic's metadata may create it on a broker
      // with auto.create.topics.enable, with the broker's defaults instead of the operator's.
      Map<String, List<PartitionInfo>> topics;
      try {
        topics = c.listTopics(Duration.ofSeconds(10));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        if (!unreachable) {
          LOG.warn("Cannot reach Kafka at {}; retrying", servers);
          unreachable = true;
        }
        board.state("cannot reach Kafka at " + servers + " (retrying)");
        continue;
      }
      if (unreachable) {
        LOG.info("Reached Kafka at {}", servers);
        unreachable = false;
      }
      List<PartitionInfo> infos = topics.get(topic);
      if (infos != null && !infos.isEmpty()) {
        return partitions(infos);
      }
      if (!said) {
        LOG.info("Topic '{}' does not exist on Kafka at {} yet; waiting for it", topic, servers);
        said = true;
      }
      board.state("waiting for topic '" + topic + "' to exist");
      closed.await(1, TimeUnit.SECONDS);
    }
    return null;
  }

  /** Assigns the partitions, each at the first record of the last {@code historyMs}. */
  private Map<TopicPartition, Long> start(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
    board.state("reading the last " + historyMs / 60_000 + " min of '" + topic + "'");
    c.assign(partitions);
    long since = clock.getAsLong() - historyMs;
    Map<TopicPartition, Long> query = new HashMap<>();
    for (TopicPartition p : partitions) {
      query.put(p, since);
    }
    Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
    Map<TopicPartition, Long> ends = c.endOffsets(partitions);
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp at = found.get(p);
      c.seek(p, at == null ? ends.get(p) : at.offset());
    }
    return ends;
  }

  private List<TopicPartition> partitions(List<PartitionInfo> infos) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : infos) {
      partitions.add(new TopicPartition(topic, p.partition()));
    }
    return partitions;
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void addNewPartitions(KafkaConsumer<byte[], byte[]> c) {
    List<PartitionInfo> infos;
    try {
      infos = c.listTopics(Duration.ofSeconds(10)).get(topic);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      return;
    }
    if (infos == null || infos.size() <= c.assignment().size()) {
      return;
    }
    List<TopicPartition> all = partitions(infos);
    List<TopicPartition> added = new ArrayList<>(all);
    added.removeAll(c.assignment());
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : c.assignment()) {
      positions.put(tp, c.position(tp));
    }
    c.assign(all);
    for (Map.Entry<TopicPartition, Long> e : positions.entrySet()) {
      c.seek(e.getKey(), e.getValue());
    }
    c.seekToBeginning(added);
    LOG.info("Topic '{}' has new partitions {}; reading them", topic, added);
  }

  private void read(ConsumerRecord<byte[], byte[]> r, boolean live) {
    long now = clock.getAsLong();
    // Read back from the past, a ranking arrived when it was written; read live, now (the
    // consumer's clock may differ from ours: the age of a live ranking is measured on one clock).
    long arrivedAt = live || r.timestamp() < 0 ? now : Math.min(r.timestamp(), now);
    String where = "partition " + r.partition() + " offset " + r.offset();
    try {
      RankingRecord ranking = RankingRecord.parse(r.value(), maxRecordBytes);
      long reference = Math.max(now, r.timestamp());
      if (ranking.batchTime > reference + FUTURE_TOLERANCE_MS) {
        throw new RankingRecord.Bad(
            "batch time "
                + ranking.batchTime
                + " is "
                + (ranking.batchTime - reference) / 1000
                + " s after the record's own time");
      }
      if (!board.accept(ranking, arrivedAt) && board.tooOld() <= BAD_LOGGED) {
        LOG.info(
            "Ranking of batch {} ({} of '{}') is older than the history kept; not shown",
            ranking.batchTime,
            where,
            topic);
      }
    } catch (RankingRecord.Bad e) {
      board.bad(where, e.getMessage());
      long n = board.badRecords();
      if (n <= BAD_LOGGED) {
        LOG.warn(
            "Not a ranking, skipped ({} of '{}'): {}{}",
            where,
            topic,
            e.getMessage(),
            n == BAD_LOGGED ? " (further ones are only counted)" : "");
      }
    }
  }

  @Override
  public void close() {
    closed.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
