package io.trendline.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

class TrendsAppTest {
  @Test
  void recordsDeletedByRetentionAreRecognisedDirectOrQuotedByASparkJobFailure() {
    OffsetOutOfRangeException gone =
        new OffsetOutOfRangeException(
            Collections.singletonMap(new TopicPartition("tweets", 1), 3L));
    assertEquals(
        "OffsetOutOfRangeException: " + gone.getMessage(),
        TrendsApp.offsetsGone(new RuntimeException("batch failed", gone)));
    SparkException job =
        new SparkException(
            "Job aborted due to stage failure: Task 0 failed, most recent failure:"
                + " org.apache.kafka.clients.consumer.OffsetOutOfRangeException: Offsets out of"
                + " range with no configured reset policy for partitions: {tweets-1=3}\n"
                + "\tat org.apache.kafka.clients.consumer.internals.Fetcher...");
    assertEquals(
        "OffsetOutOfRangeException: Offsets out of range with no configured reset policy for"
            + " partitions: {tweets-1=3}",
        TrendsApp.offsetsGone(job));
    assertNull(TrendsApp.offsetsGone(new SparkException("Job aborted: something else")));
  }
}
