package io.trendline.consumer;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverError;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStopped;
import org.apache.spark.streaming.scheduler.StreamingListenerStreamingStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every batch's statistics and warns when a batch took longer than the batch interval (the
 * application is falling behind: raise resources or set max.rate.per.partition). Runs on the
 * driver's listener bus; keeps the last processing time for the rankings.
 */
final class BatchListener implements StreamingListener {
  private static final Logger log = LoggerFactory.getLogger(BatchListener.class);

  /** The last completed batch's processing time in ms (-1 before the first), in this JVM. */
  static final AtomicLong LAST_PROCESSING_MS = new AtomicLong(-1);

  private final long batchMs;
  private long batches;
  private long slow;

  BatchListener(long batchMs) {
    this.batchMs = batchMs;
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    BatchInfo info = completed.batchInfo();
    long processing = info.processingDelay().isDefined() ? (Long) info.processingDelay().get() : -1;
    long scheduling = info.schedulingDelay().isDefined() ? (Long) info.schedulingDelay().get() : -1;
    LAST_PROCESSING_MS.set(processing);
    batches++;
    if (processing > batchMs) {
      slow++;
      log.warn(
          "batch {}: processing took {} ms, more than the {} ms interval ({} of {} batches so far);"
              + " scheduling delay {} ms, {} records",
          info.batchTime().milliseconds(),
          processing,
          batchMs,
          slow,
          batches,
          scheduling,
          info.numRecords());
    } else if (log.isInfoEnabled()) {
      log.info(
          "batch {}: {} records, processing {} ms, scheduling delay {} ms",
          info.batchTime().milliseconds(),
          info.numRecords(),
          processing,
          scheduling);
    }
  }

  @Override
  public void onStreamingStarted(StreamingListenerStreamingStarted started) {}

  @Override
  public void onReceiverStarted(StreamingListenerReceiverStarted started) {}

  @Override
  public void onReceiverError(StreamingListenerReceiverError error) {}

  @Override
  public void onReceiverStopped(StreamingListenerReceiverStopped stopped) {}

  @Override
  public void onBatchSubmitted(StreamingListenerBatchSubmitted submitted) {}

  @Override
  public void onBatchStarted(StreamingListenerBatchStarted started) {}

  @Override
  public void onOutputOperationStarted(StreamingListenerOutputOperationStarted started) {}

  @Override
  public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted completed) {}
}
