package io.trendline.consumer;

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

/**
 * A {@link StreamingListener} that hears only completed batches (Scala 2.11 traits give Java no
 * default methods, so every other event is ignored here once). Called on the driver's listener bus
 * thread, one event at a time.
 */
public abstract class BatchCompletedListener implements StreamingListener {
  /** A completed batch's statistics. */
  protected abstract void batchCompleted(BatchInfo info);

  /** The batch's processing time in ms, -1 if Spark did not record one. */
  public static long processingMs(BatchInfo info) {
    return info.processingDelay().isDefined() ? (Long) info.processingDelay().get() : -1;
  }

  /** The batch's scheduling delay in ms, -1 if Spark did not record one. */
  public static long schedulingMs(BatchInfo info) {
    return info.schedulingDelay().isDefined() ? (Long) info.schedulingDelay().get() : -1;
  }

  /** When the batch's processing ended (epoch ms), -1 if Spark did not record it. */
  public static long endTime(BatchInfo info) {
    return info.processingEndTime().isDefined() ? (Long) info.processingEndTime().get() : -1;
  }

  @Override
  public final void onBatchCompleted(StreamingListenerBatchCompleted completed) {
    batchCompleted(completed.batchInfo());
  }

  @Override
  public final void onStreamingStarted(StreamingListenerStreamingStarted started) {}

  @Override
  public final void onReceiverStarted(StreamingListenerReceiverStarted started) {}

  @Override
  public final void onReceiverError(StreamingListenerReceiverError error) {}

  @Override
  public final void onReceiverStopped(StreamingListenerReceiverStopped stopped) {}

  @Override
  public final void onBatchSubmitted(StreamingListenerBatchSubmitted submitted) {}

  @Override
  public final void onBatchStarted(StreamingListenerBatchStarted started) {}

  @Override
  public final void onOutputOperationStarted(StreamingListenerOutputOperationStarted started) {}

  @Override
  public final void onOutputOperationCompleted(
      StreamingListenerOutputOperationCompleted completed) {}
}
