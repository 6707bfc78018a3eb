package io.trendline.consumer;

import org.apache.spark.streaming.scheduler.BatchInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every batch's statistics and warns when a batch took longer than the batch interval (the
 * application is falling behind: raise resources or set max.rate.per.partition). Runs on the
 * driver's listener bus.
 */
final class BatchListener extends BatchCompletedListener {
  private static final Logger log = LoggerFactory.getLogger(BatchListener.class);

  private final long batchMs;
  private long batches;
  private long slow;

  BatchListener(long batchMs) {
    this.batchMs = batchMs;
  }

  @Override
  protected void batchCompleted(BatchInfo info) {
    long processing = processingMs(info);
    long scheduling = schedulingMs(info);
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
}
